package io.sluice.protocol.bounce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads rules files. One rule per line, fields separated by one or more TABs:
 *
 * <pre>
 * [first]
 * # reason       status          code   text                         when                 citation
 * user-unknown   5.1.1|5.1.0     *      *                            unless=@blocked|@rejected
 * user-unknown   *               *      user unknown|no such user    command=RCPT
 * filtered       *               *      @user-unknown                command!=RCPT|MAIL
 * block-listed   *               5xx    /\bblack ?list(ed)?\b|spamhaus/
 * [provider]
 * blocked        5.7.1           *      *                            rhost=yahoodns.net   https://senders.yahooinc.com/smtp-error-codes/
 * </pre>
 *
 * <ul>
 *   <li>A line {@code [provider]}, {@code [format]}, {@code [first]}, {@code [status]}, {@code [then]} or
 *       {@code [fallback]} starts a section: the step of {@link BounceClassifier}'s decision order
 *       its rules belong to. Rules before any section header are overrides, tried before all
 *       others (so an operator's file needs no header).</li>
 *   <li>{@code reason}: a {@link BounceReason} label ({@code user-unknown}) or enum name.</li>
 *   <li>{@code status}: RFC 3463 patterns separated by {@code |}, {@code *} or {@code x} per
 *       component, {@code none} for "no status"; {@code *} alone for any.</li>
 *   <li>{@code code}: reply-code patterns separated by {@code |}, three characters, digits or
 *       {@code x}; {@code *} for any.</li>
 *   <li>{@code text}: {@code *} for any; {@code /regex/} for a case-insensitive regular expression
 *       (found anywhere in the text); {@code @label|@label} for "any phrase or regex of the rules
 *       of those reasons"; otherwise phrases separated by {@code |}, matched case-insensitively as
 *       substrings with white space runs folded to one space.</li>
 *   <li>{@code when} (optional): {@code *}, or space-separated conditions {@code command=RCPT|DATA},
 *       {@code command!=RCPT|MAIL}, {@code rhost=google.com|googlemail.com} (host-name suffixes;
 *       required in {@code [provider]}, allowed nowhere else), {@code unless=@label|@label} (the
 *       words of those reasons veto the rule), {@code format=exchange2003|imail} (the bounce's
 *       format, see {@link BounceFormat}; required in {@code [format]}, allowed nowhere else).</li>
 *   <li>{@code citation} (optional, last): the URL of the published reply catalogue a rule rests on.</li>
 * </ul>
 * Blank lines and lines starting with {@code #} are ignored. A bad line raises
 * IllegalArgumentException naming file and line.
 */
public final class BounceRules {

    static final String BUNDLED = "bounce-rules.tsv";

    private static final Pattern STATUS_ALTERNATIVE = Pattern.compile("none|[245xX*]\\.(\\d{1,3}|[xX*])\\.(\\d{1,3}|[xX*])");
    private static final Pattern CODE_ALTERNATIVE = Pattern.compile("[245xX][0-9xX][0-9xX]");

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
        BounceRule.Stage stage = BounceRule.Stage.OVERRIDE;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = origin + ":" + (i + 1);
            if (line.startsWith("[")) {
                stage = section(line, where);
                continue;
            }
            rules.add(rule(line, stage, where));
        }
        return rules;
    }

    private static BounceRule.Stage section(String line, String where) {
        String name = line.endsWith("]") ? line.substring(1, line.length() - 1).strip().toUpperCase(Locale.ROOT) : "";
        for (BounceRule.Stage s : BounceRule.Stage.values()) {
            if (s != BounceRule.Stage.OVERRIDE && s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(where + ": unknown section " + line + "; one of [provider] [format] [first] [status] [then] [fallback]");
    }

    private static BounceRule rule(String line, BounceRule.Stage stage, String where) {
        String[] f = line.split("\t+");
        if (f.length < 4 || f.length > 6) {
            throw new IllegalArgumentException(where + ": expected 4 to 6 TAB-separated fields (reason, status, code, text, [when], [citation]), got " + f.length);
        }
        BounceReason reason = reason(f[0], where);
        String status = any(f[1]) ? null : checkStatus(f[1].strip(), where);
        String code = any(f[2]) ? null : checkCode(f[2].strip(), where);
        String t = f[3].strip();
        List<String> phrases = List.of();
        Pattern regex = null;
        List<BounceReason> textOf = List.of();
        if (t.length() >= 2 && t.startsWith("/") && t.endsWith("/")) {
            try {
                regex = Pattern.compile(t.substring(1, t.length() - 1), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ": bad regular expression: " + e.getDescription());
            }
        } else if (t.startsWith("@")) {
            textOf = references(t, where);
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
        String citation = null;
        BounceRule.Condition when = BounceRule.Condition.ANY;
        for (int k = 4; k < f.length; k++) {
            String v = f[k].strip();
            if (v.startsWith("http://") || v.startsWith("https://")) {
                citation = v;
            } else if (k == 4) {
                when = condition(v, where);
            } else {
                throw new IllegalArgumentException(where + ": the last field must be a citation URL (http:// or https://), got '" + v + "'");
            }
        }
        if (stage == BounceRule.Stage.PROVIDER && when.hosts().isEmpty()) {
            throw new IllegalArgumentException(where + ": a [provider] rule needs rhost=… naming the provider's hosts");
        }
        if (stage != BounceRule.Stage.PROVIDER && !when.hosts().isEmpty()) {
            throw new IllegalArgumentException(where + ": rhost=… belongs in the [provider] section");
        }
        if (stage == BounceRule.Stage.FORMAT && when.formats().isEmpty()) {
            throw new IllegalArgumentException(where + ": a [format] rule needs format=… naming the bounce format; one of " + BounceFormat.NAMES);
        }
        if (stage != BounceRule.Stage.FORMAT && !when.formats().isEmpty()) {
            throw new IllegalArgumentException(where + ": format=… belongs in the [format] section");
        }
        return new BounceRule(reason, status, code, phrases, regex, textOf, when, stage, citation, where);
    }

    private static BounceRule.Condition condition(String v, String where) {
        if (any(v)) {
            return BounceRule.Condition.ANY;
        }
        Set<SmtpCommand> commands = EnumSet.noneOf(SmtpCommand.class);
        boolean excluded = false;
        List<String> hosts = new ArrayList<>();
        List<BounceReason> unless = new ArrayList<>();
        List<String> formats = new ArrayList<>();
        for (String token : v.split(" +")) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": condition must look like command=RCPT, command!=RCPT|MAIL, rhost=example.com or unless=@label: '" + token + "'");
            }
            boolean not = token.charAt(eq - 1) == '!';
            String key = token.substring(0, not ? eq - 1 : eq);
            String[] values = token.substring(eq + 1).split("\\|");
            switch (key) {
                case "command" -> {
                    excluded = not;
                    for (String c : values) {
                        SmtpCommand cmd = SmtpCommand.fromLabel(c);
                        if (cmd == null || cmd == SmtpCommand.UNKNOWN) {
                            throw new IllegalArgumentException(where + ": unknown SMTP command '" + c + "'; one of CONN EHLO MAIL RCPT DATA");
                        }
                        commands.add(cmd);
                    }
                }
                case "rhost" -> {
                    for (String h : values) {
                        String host = h.strip().toLowerCase(Locale.ROOT);
                        if (!host.matches("[a-z0-9.-]+\\.[a-z]{2,}")) {
                            throw new IllegalArgumentException(where + ": rhost must be host-name suffixes: '" + h + "'");
                        }
                        hosts.add(host.startsWith(".") ? host.substring(1) : host);
                    }
                }
                case "unless" -> unless.addAll(references(token.substring(eq + 1), where));
                case "format" -> {
                    for (String fmt : values) {
                        String name = fmt.strip().toLowerCase(Locale.ROOT);
                        if (!BounceFormat.NAMES.contains(name)) {
                            throw new IllegalArgumentException(where + ": unknown bounce format '" + fmt + "'; one of " + BounceFormat.NAMES);
                        }
                        formats.add(name);
                    }
                }
                default -> throw new IllegalArgumentException(where + ": unknown condition '" + key + "'; one of command, rhost, format, unless");
            }
            if (not && !key.equals("command")) {
                throw new IllegalArgumentException(where + ": only command takes != ('" + token + "')");
            }
        }
        return new BounceRule.Condition(commands, excluded, hosts, unless, formats);
    }

    private static List<BounceReason> references(String s, String where) {
        List<BounceReason> out = new ArrayList<>();
        for (String r : s.split("\\|")) {
            String label = r.strip();
            if (!label.startsWith("@")) {
                throw new IllegalArgumentException(where + ": references must look like @user-unknown|@filtered: '" + s + "'");
            }
            out.add(reason(label.substring(1), where));
        }
        return out;
    }

    private static BounceReason reason(String label, String where) {
        BounceReason reason = BounceReason.fromLabel(label);
        if (reason == null) {
            throw new IllegalArgumentException(where + ": unknown reason '" + label + "'; one of " + Arrays.toString(BounceReason.values()));
        }
        return reason;
    }

    private static boolean any(String s) {
        return s.strip().equals("*");
    }

    private static String checkStatus(String s, String where) {
        for (String alt : s.split("\\|")) {
            if (!STATUS_ALTERNATIVE.matcher(alt).matches()) {
                throw new IllegalArgumentException(where + ": status pattern must look like 5.1.1, 5.1.*, *.2.2 or none: '" + s + "'");
            }
        }
        return s;
    }

    private static String checkCode(String s, String where) {
        for (String alt : s.split("\\|")) {
            if (!CODE_ALTERNATIVE.matcher(alt).matches()) {
                throw new IllegalArgumentException(where + ": reply-code pattern must look like 550, 55x or 5xx: '" + s + "'");
            }
        }
        return s;
    }
}
