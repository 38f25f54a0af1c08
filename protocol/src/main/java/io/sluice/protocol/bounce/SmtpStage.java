package io.sluice.protocol.bounce;

import java.util.regex.Pattern;

/**
 * Corrects a verdict by the SMTP command that drew the refusal, when the bounce says which one
 * (Postfix "in reply to RCPT TO command", Exim "after MAIL FROM:", Sendmail ">>> DATA"):
 *
 * <ul>
 *   <li>MAIL FROM (RFC 5321 §3.3): no recipient has been named yet, so "does not exist" or
 *       "unknown" is about our sender or domain: never a recipient failure, hence {@code rejected}.</li>
 *   <li>DATA / end of data: the recipient was already accepted at RCPT TO, so the address exists;
 *       a "user unknown" now is a per-recipient filter (Sisimai calls it {@code filtered}). Sendmail's
 *       transcript line {@code >>> DATA} does not count: with PIPELINING (RFC 2920) the RCPT reply
 *       is printed after it.</li>
 * </ul>
 */
final class SmtpStage {

    private static final Pattern MAIL_FROM = Pattern.compile(
            "(?i)(after|in reply to)\\s+(the\\s+)?mail\\s+from|>>>\\s*mail\\s+from|smtp\\s+command:?\\s+mail\\b");
    private static final Pattern DATA = Pattern.compile(
            "(?i)(after|in reply to)\\s+(the\\s+)?(end\\s+of\\s+)?(data|message)\\b|smtp\\s+command:?\\s+data\\b");
    private static final Pattern RCPT = Pattern.compile("(?i)(after|in reply to)\\s+(the\\s+)?rcpt\\s+to|>>>\\s*rcpt\\s+to|smtp\\s+command:?\\s+rcpt");

    private static final Pattern EXPLICIT_NO_MAILBOX = Pattern.compile("\\b5\\.1\\.1\\b");

    private SmtpStage() {}

    static Classification adjust(Classification c, String text) {
        if (text == null || text.isEmpty()) {
            return c;
        }
        boolean aboutRecipient = c.reason().equals("userunknown") || c.reason().equals("hostunknown");
        if (!aboutRecipient || RCPT.matcher(text).find()) {
            return c;
        }
        if (MAIL_FROM.matcher(text).find()) {
            return BounceClassifier.verdict(BounceReason.REJECTED, c.replyCode(), c.status());
        }
        // An explicit 5.1.1 from the server outweighs the stage: it says "no such mailbox" in RFC 3463's words.
        if (c.reason().equals("userunknown") && DATA.matcher(text).find() && !EXPLICIT_NO_MAILBOX.matcher(text).find()) {
            return BounceClassifier.verdict(BounceReason.FILTERED, c.replyCode(), c.status());
        }
        return c;
    }
}
