package io.sluice.protocol.bounce;

import io.sluice.protocol.feedback.FeedbackReport;

import java.util.List;

/**
 * What a mail that arrived at the bounce address turned out to be.
 *
 * @param kind            what it is; only {@link Kind#BOUNCE} should count against recipients
 * @param recipients      one entry per recipient the mail reports on (for an auto-reply, its
 *                        author; for a complaint, the complaining recipients); empty for
 *                        {@link Kind#NOT_BOUNCE}
 * @param originalHeaders the header block of our original message when the mail carries it
 *                        (message/rfc822, text/rfc822-headers or a copy after a separator line), so
 *                        the daemon can find its trace header or Message-ID; else empty
 * @param feedback        the complaint when {@code kind == FEEDBACK}, else null
 */
public record BounceReport(Kind kind, List<BouncedRecipient> recipients, byte[] originalHeaders, FeedbackReport feedback) {

    public enum Kind {
        /** A delivery status notification: failures, delays (RFC 3464 Action: delayed) or successes. */
        BOUNCE,
        /** An automatic reply (RFC 3834): out of office, vacation. Ignore. */
        AUTO_REPLY,
        /** A complaint or unsubscribe request (RFC 5965 and look-alikes). */
        FEEDBACK,
        /** Anything else: human replies, spam, garbage. Ignore. */
        NOT_BOUNCE
    }

    public BounceReport {
        recipients = List.copyOf(recipients);
        originalHeaders = originalHeaders == null ? new byte[0] : originalHeaders;
    }

    static BounceReport notBounce() {
        return new BounceReport(Kind.NOT_BOUNCE, List.of(), new byte[0], null);
    }

    public boolean isBounce() {
        return kind == Kind.BOUNCE;
    }
}
