package io.sluice.protocol.bounce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads rules files. The format, one rule per line, fields separated by one or more TABs:
 *
 * <pre>
 * # reason        status   code   text
 * user-unknown    *        *      user unknown|no such user|unknown recipient
 * block-listed    *        5xx    /\bblack ?list(ed)?\b|spamhaus/
 * mailbox-full    *.2.2    *      *
 * </pre>
 *
 * <ul>
 *   <li>{@code reason}: a {@link BounceReason} label ({@code user-unknown}) or enum name.</li>
 *   <li>{@code status}: RFC 3463 pattern, {@code *} or {@code x} per component; {@code *} alone for any.</li>
 *   <li>{@code code}: three characters, digits or {@code x}; {@code *} for any.</li>
 *   <li>{@code text}: {@code *} for any; {@code /regex/} for a case-insensitive regular expression
 *       (found anywhere in the text); otherwise phrases separated by {@code |}, matched
 *       case-insensitively as substrings with white space runs folded to one space.</li>
 * </ul>
 * Blank lines and lines starting with {@code #} are ignored. Order is priority: first match wins.
 */
public final class BounceRules {

    static final String BUNDLED = "bounce-rules.tsv";

    private BounceRules() {}

    /** The rules shipped in this jar. */
    public static List<BounceRule> bundled() {
        try (InputStream in = BounceRules.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled bounce rules missing from the classpath: " + BUNDLED);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a user rules file; a bad line raises IllegalArgumentException naming file and line. */
    public static List<BounceRule> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses rules text; {@code origin} names it in error messages. */
    public static List<BounceRule> parse(String text, String origin) {
        List<BounceRule> rules = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = origin + ":" + (i + 1);
            String[] f = lines[i].strip().split("\t+", 4);
            if (f.length != 4) {
                throw new IllegalArgumentException(where + ": expected 4 TAB-separated fields (reason, status, code, text), got " + f.length);
            }
            BounceReason reason = BounceReason.fromLabel(f[0]);
            if (reason == null) {
                throw new IllegalArgumentException(where + ": unknown reason '" + f[0] + "'; one of " + Arrays.toString(BounceReason.values()));
            }
            String status = any(f[1]) ? null : checkStatus(f[1].strip(), where);
            String code = any(f[2]) ? null : checkCode(f[2].strip(), where);
            String t = f[3].strip();
            List<String> phrases = List.of();
            Pattern regex = null;
            if (t.length() >= 2 && t.startsWith("/") && t.endsWith("/")) {
                try {
                    regex = Pattern.compile(t.substring(1, t.length() - 1), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + ": bad regular expression: " + e.getDescription());
                }
            } else if (!any(t)) {
                List<String> p = new ArrayList<>();
                for (String s : t.split("\\|")) {
                    String n = LiteralMatcher.normalise(s).strip();
                    if (!n.isEmpty()) {
                        p.add(n);
                    }
                }
                phrases = p;
            }
            rules.add(new BounceRule(reason, status, code, phrases, regex, where));
        }
        return rules;
    }

    private static boolean any(String s) {
        return s.strip().equals("*");
    }

    private static String checkStatus(String s, String where) {
        if (!s.matches("[245xX*]\\.(\\d{1,3}|[xX*])\\.(\\d{1,3}|[xX*])")) {
            throw new IllegalArgumentException(where + ": status pattern must look like 5.1.1, 5.1.* or *.2.2: '" + s + "'");
        }
        return s;
    }

    private static String checkCode(String s, String where) {
        if (!s.matches("[245xX][0-9xX][0-9xX]")) {
            throw new IllegalArgumentException(where + ": reply-code pattern must look like 550, 55x or 5xx: '" + s + "'");
        }
        return s;
    }
}
