package io.sluice.protocol.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A parsed macro-string (RFC 7208 §7.1): literal text and macro expansions such as
 * {@code %{ir}.%{v}._spf.%{d2}}. Parsing checks the grammar once; {@link #expand} fills in values.
 */
final class MacroString {
    private static final String LETTERS = "slodiphcrtv";
    private static final String EXPLANATION_ONLY = "crt";
    private static final String DELIMITERS = ".-+,/_=";
    // RFC 7208 §7.1: toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
    private static final Pattern TOPLABEL =
            Pattern.compile("([a-zA-Z0-9]*[a-zA-Z][a-zA-Z0-9]*|[a-zA-Z0-9]+-[a-zA-Z0-9-]*[a-zA-Z0-9])");

    private sealed interface Part permits Literal, Expand {}

    private record Literal(String text) implements Part {}

    private record Expand(char letter, boolean escape, int rightParts, boolean reverse, String delimiters)
            implements Part {}

    private final String source;
    private final List<Part> parts;
    private final boolean endsWithMacro;

    private MacroString(String source, List<Part> parts, boolean endsWithMacro) {
        this.source = source;
        this.parts = parts;
        this.endsWithMacro = endsWithMacro;
    }

    /** A macro-string where c, r and t are not allowed (everywhere but an explanation). */
    static MacroString parse(String text) throws SpfSyntaxException {
        return parse(text, false);
    }

    static MacroString parse(String text, boolean explanation) throws SpfSyntaxException {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean endsWithMacro = false;
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            endsWithMacro = false;
            if (ch != '%') {
                if (ch < 0x21 || ch > 0x7e) {
                    throw new SpfSyntaxException("character 0x" + Integer.toHexString(ch) + " not allowed in '" + text + "'");
                }
                literal.append(ch);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                throw new SpfSyntaxException("'%' at the end of '" + text + "'");
            }
            char next = text.charAt(i + 1);
            switch (next) {
                case '%' -> { literal.append('%'); i += 2; continue; }
                case '_' -> { literal.append(' '); i += 2; continue; }
                case '-' -> { literal.append("%20"); i += 2; continue; }
                case '{' -> { }
                default -> throw new SpfSyntaxException("'%" + next + "' is not a macro in '" + text + "'");
            }
            int close = text.indexOf('}', i);
            if (close < 0) {
                throw new SpfSyntaxException("unclosed '%{' in '" + text + "'");
            }
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
            parts.add(expansion(text.substring(i + 2, close), text, explanation));
            endsWithMacro = true;
            i = close + 1;
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new MacroString(text, List.copyOf(parts), endsWithMacro);
    }

    private static Expand expansion(String body, String whole, boolean explanation) throws SpfSyntaxException {
        if (body.isEmpty()) {
            throw new SpfSyntaxException("empty macro in '" + whole + "'");
        }
        char letter = body.charAt(0);
        char lower = Character.toLowerCase(letter);
        if (LETTERS.indexOf(lower) < 0 || letter > 0x7e) {
            throw new SpfSyntaxException("unknown macro letter '" + letter + "' in '" + whole + "'");
        }
        if (!explanation && EXPLANATION_ONLY.indexOf(lower) >= 0) {
            throw new SpfSyntaxException("macro '" + letter + "' is allowed only in exp text: '" + whole + "'");
        }
        int j = 1;
        while (j < body.length() && Character.isDigit(body.charAt(j))) {
            j++;
        }
        int rightParts = 0;
        if (j > 1) {
            String digits = body.substring(1, j);
            rightParts = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (rightParts == 0) {
                throw new SpfSyntaxException("macro digit transformer must not be zero in '" + whole + "'");
            }
        }
        boolean reverse = false;
        if (j < body.length() && Character.toLowerCase(body.charAt(j)) == 'r') {
            reverse = true;
            j++;
        }
        String delimiters = body.substring(j);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) {
                throw new SpfSyntaxException("'" + d + "' is not a macro delimiter in '" + whole + "'");
            }
        }
        return new Expand(lower, Character.isUpperCase(letter), rightParts, reverse,
                delimiters.isEmpty() ? "." : delimiters);
    }

    /**
     * Checks the domain-spec rule: the string must end in "." toplabel (with an optional final
     * dot) or in a macro expansion.
     */
    MacroString requireDomainSpec() throws SpfSyntaxException {
        if (endsWithMacro) {
            return this;
        }
        String s = source.endsWith(".") ? source.substring(0, source.length() - 1) : source;
        int dot = s.lastIndexOf('.');
        if (dot < 0 || !TOPLABEL.matcher(s.substring(dot + 1)).matches()) {
            throw new SpfSyntaxException("'" + source + "' does not end in a top-level label");
        }
        return this;
    }

    boolean hasMacros() {
        return parts.stream().anyMatch(p -> p instanceof Expand);
    }

    /** Expands with {@code values} giving each letter's raw value (lower-case letter asked). */
    String expand(Function<Character, String> values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal l) {
                out.append(l.text());
            } else if (part instanceof Expand e) {
                out.append(expand(e, values.apply(e.letter())));
            }
        }
        return out.toString();
    }

    private static String expand(Expand e, String value) {
        List<String> labels = new ArrayList<>(Arrays.asList(split(value, e.delimiters())));
        if (e.reverse()) {
            Collections.reverse(labels);
        }
        if (e.rightParts() > 0 && e.rightParts() < labels.size()) {
            labels = labels.subList(labels.size() - e.rightParts(), labels.size());
        }
        String joined = String.join(".", labels);
        return e.escape() ? urlEscape(joined) : joined;
    }

    private static String[] split(String value, String delimiters) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        out.add(value.substring(start));
        return out.toArray(String[]::new);
    }

    /* RFC 7208 §7.3: upper-case macro letters are URL-escaped (RFC 3986 unreserved characters stay). */
    private static String urlEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
