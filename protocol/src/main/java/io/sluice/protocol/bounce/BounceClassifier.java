package io.sluice.protocol.bounce;

import io.sluice.protocol.smtp.SmtpReply;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a remote reply into a {@link Classification}. Built once from rules (data, see
 * {@link BounceRules}); immutable and safe to share between threads.
 *
 * <p>All phrase conditions of all rules are matched in one pass (see {@link LiteralMatcher}), then
 * the rules are walked in priority order with cheap integer checks; only regular-expression rules
 * placed before the winner run their matcher. A typical reply costs a microsecond or two.
 */
public final class BounceClassifier {

    /* RFC 3463 §2 status, as found inside free text (DSN Diagnostic-Code, a bounce's prose). */
    private static final Pattern STATUS = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    private static final BounceClassifier BUNDLED = new BounceClassifier(BounceRules.bundled());

    private final BounceRule[] rules;
    private final LiteralMatcher phrases;

    private BounceClassifier(List<BounceRule> rules) {
        this.rules = rules.toArray(new BounceRule[0]);
        List<String> all = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < this.rules.length; i++) {
            for (String p : this.rules[i].phrases()) {
                all.add(p);
                ids.add(i);
            }
        }
        this.phrases = new LiteralMatcher(all, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The classifier over the rules bundled in this jar. */
    public static BounceClassifier bundled() {
        return BUNDLED;
    }

    /** The given rules, in order, with nothing else. */
    public static BounceClassifier fromRules(List<BounceRule> rules) {
        return new BounceClassifier(rules);
    }

    /** A user rules file first (so its rules win), then the bundled rules. */
    public static BounceClassifier withUserRules(Path file) throws IOException {
        List<BounceRule> rules = new ArrayList<>(BounceRules.read(file));
        rules.addAll(BounceRules.bundled());
        return new BounceClassifier(rules);
    }

    /** Classifies a reply received in the SMTP session (a synchronous bounce). */
    public Classification classify(SmtpReply reply) {
        return classify(reply.code(), reply.enhancedCode(), reply.text());
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
        String norm = text == null ? "" : LiteralMatcher.normalise(text);
        status = effectiveStatus(replyCode, status, norm);
        BounceRule rule = match(replyCode, status, norm);
        return verdict(rule == null ? null : rule.reason(), replyCode, status);
    }

    /**
     * The rule that decides this reply ({@link BounceRule#source()} names its file and line), or
     * null when none does: for operators checking why a reply landed where it did.
     */
    public BounceRule explain(int replyCode, String status, String text) {
        String norm = text == null ? "" : LiteralMatcher.normalise(text);
        return match(replyCode, effectiveStatus(replyCode, status, norm), norm);
    }

    private static String effectiveStatus(int replyCode, String status, String norm) {
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

    private BounceRule match(int replyCode, String status, String norm) {
        boolean[] hits = new boolean[rules.length];
        phrases.scan(norm, hits);
        for (int i = 0; i < rules.length; i++) {
            BounceRule r = rules[i];
            if (!r.codeMatches(replyCode) || !r.statusMatches(status)) {
                continue;
            }
            if (!r.phrases().isEmpty() ? hits[i] : r.regex() == null || r.regex().matcher(norm).find()) {
                return r;
            }
        }
        return null;
    }

    static Classification verdict(BounceReason reason, int replyCode, String status) {
        int statusClass = replyCode >= 400 ? replyCode / 100 : status != null ? status.charAt(0) - '0' : 5;
        if (reason == null) {
            reason = statusClass == 4 ? BounceReason.ON_HOLD : BounceReason.UNDEFINED;
        }
        boolean permanent = statusClass == 5;
        boolean hard = permanent && reason.category().hard();
        String shown = status != null ? status : reason.inferredStatus(statusClass);
        return new Classification(reason.category(), reason.sisimai(), hard, shown, replyCode);
    }
}
