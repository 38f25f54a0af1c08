package io.sluice.protocol.bounce;

import io.sluice.protocol.smtp.SmtpReply;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a remote reply into a {@link Classification}. Built once from rules (data, see
 * {@link BounceRules}); immutable and safe to share between threads.
 *
 * <p>The decision order is Sisimai's (its {@code Sisimai::Reason} find/anotherone and the
 * per-reason {@code true()} checks), with the knowledge in the rules file and only the order here:
 * <ol>
 *   <li><b>Overrides</b>: an operator's own rules, first match wins.</li>
 *   <li><b>Provider</b>: when the refusing host belongs to a provider with a published reply
 *       catalogue, that provider's rules ({@code [provider]}); their verdicts are conclusive.</li>
 *   <li><b>Format</b>: when the bounce's format (the MTA that wrote it) is known, that format's own
 *       decisions ({@code [format]}): its error-code table, its fixed lines, as Sisimai's per-MTA
 *       parsers decide.</li>
 *   <li><b>First pass</b> ({@code [first]}): reasons whose own status or own words decide before the
 *       status table is asked, in Sisimai's order (mailbox full, too big, …, user unknown, filtered,
 *       …, blocked). Command-dependent meanings live here as conditions: "user unknown" words decide
 *       {@code userunknown} only at RCPT TO, and are {@code filtered} at any other or unnamed command.</li>
 *   <li><b>Status</b> ({@code [status]}): the RFC 3463 status's meaning, unless it is one Sisimai
 *       retries with the words (unknown, on hold, system error, security error, expired, network
 *       error, host unknown, user unknown).</li>
 *   <li><b>Second pass</b> ({@code [then]}): words of the remaining reasons.</li>
 *   <li>The status's meaning even if weak; then <b>fallback</b> ({@code [fallback]}): status class
 *       (x.6 content, x.7 security), diagnostic type, reply code.</li>
 *   <li>A delay report is {@code expired}; a refusal at the greeting or EHLO is {@code blocked};
 *       otherwise {@code onhold} when there were words, {@code undefined} when not.</li>
 * </ol>
 *
 * <p>All phrases of all rules are matched in one pass (see {@link LiteralMatcher}); rules are then
 * walked with integer checks, and a regular expression runs only when its rule is reached.
 */
public final class BounceClassifier {

    /* RFC 3463 §2 status, as found inside free text (DSN Diagnostic-Code, a bounce's prose). */
    private static final Pattern STATUS = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    /* Sisimai's "retry" reasons: a status meaning one of these is weaker than a matching phrase of another reason. */
    private static final Set<String> WEAK_STATUS = Set.of("undefined", "onhold", "systemerror", "securityerror", "expired",
            "networkerror", "hostunknown", "userunknown");

    /*
     * The reasons a format's own verdict does not settle: Sisimai's reason finder decides these again from the
     * words. A network error or an expiry a format states (qmail's "wasn't able to establish an SMTP
     * connection") stands.
     */
    private static final Set<String> FORMAT_RETRY = Set.of("undefined", "onhold", "systemerror", "securityerror",
            "hostunknown", "userunknown");

    private static final BounceClassifier BUNDLED = new BounceClassifier(BounceRules.bundled());

    private final BounceRule[] rules;
    private final int[] stageStart;          // stage ordinal -> first rule index; stageStart[n] = rules.length
    private final int[][] statusAlternatives; // rule -> {class, subject, detail}* with -1 for any, -2 for "none"
    private final int[][] codeAlternatives;   // rule -> {d1, d2, d3}* with -1 for any digit
    private final int[][] rulesOfReason;      // reason ordinal -> rules with their own text condition
    private final LiteralMatcher phrases;

    private BounceClassifier(List<BounceRule> given) {
        List<BounceRule> sorted = new ArrayList<>(given);
        sorted.sort(Comparator.comparing(BounceRule::stage)); // stable: file order within a stage
        this.rules = sorted.toArray(new BounceRule[0]);
        BounceRule.Stage[] stages = BounceRule.Stage.values();
        stageStart = new int[stages.length + 1];
        for (int s = 0, i = 0; s <= stages.length; s++) {
            while (s < stages.length && i < rules.length && rules[i].stage().ordinal() < s) {
                i++;
            }
            stageStart[s] = s == stages.length ? rules.length : i;
        }
        statusAlternatives = new int[rules.length][];
        codeAlternatives = new int[rules.length][];
        List<List<Integer>> byReason = new ArrayList<>();
        for (int r = 0; r < BounceReason.values().length; r++) {
            byReason.add(new ArrayList<>());
        }
        List<String> all = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            BounceRule r = rules[i];
            statusAlternatives[i] = compileStatus(r.status());
            codeAlternatives[i] = compileCode(r.code());
            if (!r.phrases().isEmpty() || r.regex() != null) {
                byReason.get(r.reason().ordinal()).add(i);
            }
            for (String p : r.phrases()) {
                all.add(p);
                ids.add(i);
            }
        }
        rulesOfReason = new int[byReason.size()][];
        for (int r = 0; r < byReason.size(); r++) {
            rulesOfReason[r] = byReason.get(r).stream().mapToInt(Integer::intValue).toArray();
        }
        this.phrases = new LiteralMatcher(all, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The classifier over the rules bundled in this jar. */
    public static BounceClassifier bundled() {
        return BUNDLED;
    }

    /** The given rules, with nothing else. */
    public static BounceClassifier fromRules(List<BounceRule> rules) {
        return new BounceClassifier(rules);
    }

    /** A user rules file (its rules win within their section, and header-less rules before all), then the bundled rules. */
    public static BounceClassifier withUserRules(Path file) throws IOException {
        List<BounceRule> rules = new ArrayList<>(BounceRules.read(file));
        rules.addAll(BounceRules.bundled());
        return new BounceClassifier(rules);
    }

    /** The rules in the order they are tried. */
    public List<BounceRule> rules() {
        return List.of(rules);
    }

    /** Classifies a reply received in the SMTP session when the command it answered is not known. */
    public Classification classify(SmtpReply reply) {
        return classify(reply, SmtpCommand.UNKNOWN);
    }

    /** Classifies a reply received in the SMTP session (a synchronous bounce) to the given command. */
    public Classification classify(SmtpReply reply, SmtpCommand command) {
        return classify(new FailedReply(reply.code(), reply.enhancedCode(), reply.text(), command, null, false));
    }

    /**
     * Classifies the parts of a reply as found anywhere: a DSN's Status and Diagnostic-Code, a
     * bounce message's prose. Missing parts are allowed.
     *
     * @param replyCode the SMTP code, 0 when unknown
     * @param status    an RFC 3463 status, or null; when null one is looked for in the text
     * @param text      the reply text or diagnostic, or null
     */
    public Classification classify(int replyCode, String status, String text) {
        return classify(FailedReply.of(replyCode, status, text));
    }

    /** Classifies a failure with whatever context the bounce gave. */
    public Classification classify(FailedReply reply) {
        return new Walk(reply).decide();
    }

    /**
     * The rule that decides this reply ({@link BounceRule#source()} names its file and line), or
     * null when none does: for operators checking why a reply landed where it did.
     */
    public BounceRule explain(int replyCode, String status, String text) {
        return explain(FailedReply.of(replyCode, status, text));
    }

    /** As {@link #explain(int, String, String)}, with the command, host and action. */
    public BounceRule explain(FailedReply reply) {
        Walk w = new Walk(reply);
        w.decide();
        return w.decidedBy;
    }

    /** Whether the rule's own text condition (phrases or regex) occurs in the text: for the rule-support report. */
    boolean textOccurs(BounceRule rule, String text) {
        for (int i = 0; i < rules.length; i++) {
            if (rules[i] == rule) {
                return new Walk(FailedReply.of(0, null, text)).ownText(i);
            }
        }
        return false;
    }

    /** One classification: the text scanned once, regular expressions run on demand. */
    private final class Walk {
        final FailedReply reply;
        final String norm;
        final String status;
        final int[] statusParts;
        final boolean[] hits = new boolean[rules.length];
        final byte[] regexState = new byte[rules.length]; // 0 not run, 1 no, 2 yes
        final String providerHost; // the remote host, or when the bounce names none the recipient's domain
        BounceRule decidedBy;
        BounceReason statusReason;

        Walk(FailedReply reply) {
            this.reply = reply;
            this.providerHost = reply.remoteHost() != null ? reply.remoteHost() : reply.recipientDomain();
            this.norm = reply.text() == null ? "" : LiteralMatcher.normalise(reply.text());
            this.status = effectiveStatus(reply.replyCode(), reply.status(), norm);
            this.statusParts = status == null ? null : parseStatus(status);
            phrases.scan(norm, hits);
        }

        Classification decide() {
            BounceReason reason;
            Evidence evidence;
            int provider = BounceRule.Stage.PROVIDER.ordinal();
            int decided = first(BounceRule.Stage.OVERRIDE);
            if (decided < 0 && providerHost != null) {
                decided = first(BounceRule.Stage.PROVIDER);
            }
            int formatRule = -1;
            if (decided < 0 && reply.format() != null) {
                formatRule = first(BounceRule.Stage.FORMAT);
                if (formatRule >= 0 && !FORMAT_RETRY.contains(rules[formatRule].reason().sisimai())) {
                    decided = formatRule;
                }
            }
            int statusRule = first(BounceRule.Stage.STATUS);
            statusReason = statusRule < 0 ? null : rules[statusRule].reason();
            if (formatRule >= 0 && decided < 0 && statusReason != null && !WEAK_STATUS.contains(statusReason.sisimai())
                    && !statusReason.sisimai().equals(rules[formatRule].reason().sisimai())) {
                // A format's retry verdict yields to a status that says something else ("5.2.1 mailbox disabled"
                // against a "bad-mailbox" category): the status and the words decide again.
                formatRule = -1;
            }
            if (decided < 0) {
                decided = firstPass(formatRule);
            }
            if (decided < 0 && statusRule >= 0 && !WEAK_STATUS.contains(statusReason.sisimai())) {
                decided = statusRule;
            }
            if (decided < 0) {
                decided = first(BounceRule.Stage.THEN);
            }
            if (decided < 0 && formatRule >= 0) {
                decided = formatRule;
            }
            if (decided < 0 && statusRule >= 0) {
                decided = statusRule;
            }
            if (decided < 0) {
                decided = first(BounceRule.Stage.FALLBACK);
            }
            if (decided >= 0) {
                decidedBy = rules[decided];
                reason = decidedBy.reason();
                // A provider's verdict is conclusive only when its host answered: on the recipient's domain alone a
                // relay may have answered in its own words.
                evidence = decidedBy.stage().ordinal() == provider && reply.remoteHost() != null ? Evidence.REMOTE_HOST : weigh(reason);
            } else if (reply.delayed()) {
                reason = BounceReason.EXPIRED;
                evidence = Evidence.CODE;
            } else if (reply.command() == SmtpCommand.EHLO || reply.command() == SmtpCommand.CONN) {
                reason = BounceReason.BLOCKED;
                evidence = Evidence.CODE;
            } else {
                reason = norm.isBlank() ? BounceReason.UNDEFINED : BounceReason.ON_HOLD;
                evidence = Evidence.NONE;
            }
            Classification c = verdict(reason, reply.replyCode(), status);
            return new Classification(c.category(), c.reason(), c.hard(), c.status(), c.replyCode(), evidence,
                    decidedBy == null ? null : decidedBy.source());
        }

        /* Status and words agree when the status table and some rule's own words name the same Sisimai reason. */
        private Evidence weigh(BounceReason reason) {
            boolean byStatus = statusReason != null && statusReason.sisimai().equals(reason.sisimai());
            boolean byText = false;
            for (BounceReason r : BounceReason.values()) {
                if (r.sisimai().equals(reason.sisimai()) && textOf(r)) {
                    byText = true;
                    break;
                }
            }
            if (byStatus && byText) {
                return Evidence.STATUS_AND_TEXT;
            }
            return byStatus ? Evidence.STATUS : byText ? Evidence.TEXT : Evidence.CODE;
        }

        /*
         * The first pass. A format's verdict of one of Sisimai's "retry" reasons (user unknown, host unknown,
         * system error...) does not end the walk: as Sisimai's per-reason checks accept the reason a
         * parser already set, it decides where that reason's own rules stand in the order, so the reasons
         * before it (mailbox full, suspended, relaying, ...) still win with their words; with no rule of that
         * reason in the first pass it waits until the second pass has found nothing.
         */
        private int firstPass(int formatRule) {
            String pending = formatRule < 0 ? null : rules[formatRule].reason().sisimai();
            for (int i = stageStart[BounceRule.Stage.FIRST.ordinal()]; i < stageStart[BounceRule.Stage.FIRST.ordinal() + 1]; i++) {
                if (pending != null && rules[i].reason().sisimai().equals(pending)) {
                    return formatRule;
                }
                if (matches(i)) {
                    return i;
                }
            }
            return -1;
        }

        private int first(BounceRule.Stage stage) {
            for (int i = stageStart[stage.ordinal()]; i < stageStart[stage.ordinal() + 1]; i++) {
                if (matches(i)) {
                    return i;
                }
            }
            return -1;
        }

        private boolean matches(int i) {
            BounceRule r = rules[i];
            if (!codeMatches(codeAlternatives[i], reply.replyCode()) || !statusMatches(statusAlternatives[i], statusParts)) {
                return false;
            }
            BounceRule.Condition when = r.when();
            if (!when.commandMatches(reply.command()) || !when.hostMatches(providerHost) || !when.formatMatches(reply.format())) {
                return false;
            }
            for (BounceReason veto : when.unless()) {
                if (textOf(veto)) {
                    return false;
                }
            }
            if (!r.textOf().isEmpty()) {
                for (BounceReason other : r.textOf()) {
                    if (textOf(other)) {
                        return true;
                    }
                }
                return false;
            }
            return !r.hasTextCondition() || ownText(i);
        }

        /* Any rule of this reason has its own words in the text (whatever its other conditions). */
        boolean textOf(BounceReason reason) {
            for (int i : rulesOfReason[reason.ordinal()]) {
                if (ownText(i)) {
                    return true;
                }
            }
            return false;
        }

        boolean ownText(int i) {
            BounceRule r = rules[i];
            if (!r.phrases().isEmpty() && hits[i]) {
                return true;
            }
            if (r.regex() == null) {
                return false;
            }
            if (regexState[i] == 0) {
                regexState[i] = (byte) (r.regex().matcher(norm).find() ? 2 : 1);
            }
            return regexState[i] == 2;
        }
    }

    /**
     * The status the classifier would weigh: the reported one, or, when it is missing or a generic
     * x.0.0, the server's own more specific status in the text (same class). For callers that must
     * read it before they rewrite the text.
     */
    static String preferredStatus(int replyCode, String status, String text) {
        return effectiveStatus(replyCode, status, text == null ? "" : LiteralMatcher.normalise(text));
    }

    /** The RFC 3463 status in a reply text whose class agrees with the reply code, or null. */
    static String statusIn(int replyCode, String text) {
        return text == null ? null : effectiveStatus(replyCode, null, text);
    }

    private static String effectiveStatus(int replyCode, String status, String norm) {
        if (status != null && STATUS.matcher(status).matches() && status.endsWith(".0.0")) {
            // A DSN's generic x.0.0 says less than the server's own status in the diagnostic: prefer that one
            // when its class agrees (as Sisimai's SMTP::Status prefer does).
            String said = effectiveStatus(replyCode != 0 ? replyCode : (status.charAt(0) - '0') * 100, null, norm);
            if (said != null && said.charAt(0) == status.charAt(0) && !said.endsWith(".0.0")) {
                return said;
            }
        }
        if (status == null || !STATUS.matcher(status).matches()) {
            status = null;
            Matcher m = STATUS.matcher(norm);
            while (m.find()) {
                // Take a status only when its class agrees with the reply code (RFC 3463 §2).
                if (replyCode == 0 || m.group(1).charAt(0) - '0' == replyCode / 100) {
                    status = m.group();
                    break;
                }
            }
        }
        return status;
    }

    private static int[] parseStatus(String s) {
        String[] p = s.split("\\.", 3);
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    private static int[] compileStatus(String pattern) {
        if (pattern == null) {
            return null;
        }
        String[] alts = pattern.split("\\|");
        int[] out = new int[alts.length * 3];
        for (int a = 0; a < alts.length; a++) {
            if (alts[a].equalsIgnoreCase("none")) {
                out[a * 3] = -2;
                continue;
            }
            String[] p = alts[a].split("\\.", 3);
            for (int k = 0; k < 3; k++) {
                out[a * 3 + k] = p[k].equals("*") || p[k].equalsIgnoreCase("x") ? -1 : Integer.parseInt(p[k]);
            }
        }
        return out;
    }

    private static boolean statusMatches(int[] alts, int[] actual) {
        if (alts == null) {
            return true;
        }
        for (int a = 0; a < alts.length; a += 3) {
            if (alts[a] == -2) {
                if (actual == null) {
                    return true;
                }
                continue;
            }
            if (actual != null && (alts[a] < 0 || alts[a] == actual[0]) && (alts[a + 1] < 0 || alts[a + 1] == actual[1])
                    && (alts[a + 2] < 0 || alts[a + 2] == actual[2])) {
                return true;
            }
        }
        return false;
    }

    private static int[] compileCode(String pattern) {
        if (pattern == null) {
            return null;
        }
        String[] alts = pattern.split("\\|");
        int[] out = new int[alts.length * 3];
        for (int a = 0; a < alts.length; a++) {
            for (int k = 0; k < 3; k++) {
                char c = alts[a].charAt(k);
                out[a * 3 + k] = c == 'x' || c == 'X' ? -1 : c - '0';
            }
        }
        return out;
    }

    private static boolean codeMatches(int[] alts, int actual) {
        if (alts == null) {
            return true;
        }
        if (actual < 100 || actual > 999) {
            return false;
        }
        int[] d = {actual / 100, actual / 10 % 10, actual % 10};
        for (int a = 0; a < alts.length; a += 3) {
            if ((alts[a] < 0 || alts[a] == d[0]) && (alts[a + 1] < 0 || alts[a + 1] == d[1]) && (alts[a + 2] < 0 || alts[a + 2] == d[2])) {
                return true;
            }
        }
        return false;
    }

    /*
     * A verdict for a reason, reached by the rules or without them (delivered, vacation, suppressed…).
     * Hard follows Sisimai (Sisimai::SMTP::Failure): userunknown, hostunknown and hasmoved always;
     * notaccept unless the reply was temporary (a 4 class): without any code or status Sisimai gives it its
     * permanent pseudo status, so words alone ("No MX found for domain") are hard too.
     */
    static Classification verdict(BounceReason reason, int replyCode, String status) {
        int statusClass = replyCode >= 400 ? replyCode / 100 : status != null ? status.charAt(0) - '0' : 0;
        if (reason == null) {
            reason = statusClass == 4 ? BounceReason.ON_HOLD : BounceReason.UNDEFINED;
        }
        boolean hard = reason.category().hard();
        if (reason == BounceReason.NOT_ACCEPT) {
            hard = statusClass != 4;
        }
        String shown = status != null ? status : reason.inferredStatus(statusClass == 0 ? 5 : statusClass);
        return new Classification(reason.category(), reason.sisimai(), hard, shown, replyCode);
    }
}
