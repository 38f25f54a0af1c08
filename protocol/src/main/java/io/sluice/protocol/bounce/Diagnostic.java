package io.sluice.protocol.bounce;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An SMTP reply code found in a Diagnostic-Code field or in prose, with the text it came with. */
record Diagnostic(int code, String text) {

    /* A 4yz/5yz code standing alone: not part of a number, an IP, a time or a status. */
    private static final Pattern CODE = Pattern.compile("(?<![\\w.:#+/-])([45][0-5][0-9])(?=[ -]|$)(?!-\\d{2}\\b)", Pattern.MULTILINE);

    /** RFC 3464 §2.3.6: {@code diagnostic-type ";" *text}, e.g. {@code smtp; 550 5.1.1 unknown}. */
    static Diagnostic of(String diagnosticCode) {
        if (diagnosticCode == null) {
            return new Diagnostic(0, "");
        }
        String rest = diagnosticCode;
        int semi = rest.indexOf(';');
        if (semi > 0 && semi < 20 && rest.substring(0, semi).matches("\\s*[A-Za-z][\\w-]*\\s*")) {
            rest = rest.substring(semi + 1);
        }
        String t = rest.strip();
        int code = 0;
        if (t.length() >= 3 && t.substring(0, 3).matches("[45][0-9][0-9]") && (t.length() == 3 || !Character.isDigit(t.charAt(3)))) {
            code = Integer.parseInt(t.substring(0, 3));
        } else {
            code = find(t).code();
        }
        return new Diagnostic(code, diagnosticCode);
    }

    /** The first plausible reply code in free text (0 if none); the text is kept whole. */
    static Diagnostic find(String text) {
        if (text == null) {
            return new Diagnostic(0, "");
        }
        Matcher m = CODE.matcher(text.length() > 20_000 ? text.substring(0, 20_000) : text);
        return new Diagnostic(m.find() ? Integer.parseInt(m.group(1)) : 0, text);
    }
}
