package io.sluice.protocol.client;

import io.sluice.protocol.smtp.SmtpReply;
import java.util.List;

/**
 * What the server said during one transaction.
 *
 * @param mailReply  the reply to MAIL FROM
 * @param recipients the reply to each RCPT TO, in order; empty when MAIL failed
 * @param dataReply  the reply that ended the DATA phase: the refusal of the DATA command, or the
 *                   reply after the final dot; null when MAIL failed or no RCPT was accepted
 */
public record TransactionResult(SmtpReply mailReply, List<RecipientReply> recipients, SmtpReply dataReply) {
    public TransactionResult {
        recipients = List.copyOf(recipients);
    }

    /**
     * The reply that decides this recipient's fate: a MAIL failure, else its RCPT failure, else the
     * DATA reply (RFC 5321 §3.3: one DATA reply covers every accepted recipient).
     *
     * @throws IllegalArgumentException if the recipient was not part of the transaction
     */
    public SmtpReply replyFor(String recipient) {
        if (!mailReply.isPositive()) {
            return mailReply;
        }
        for (RecipientReply r : recipients) {
            if (r.recipient().equals(recipient)) {
                return r.reply().isPositive() ? dataReply : r.reply();
            }
        }
        throw new IllegalArgumentException("not a recipient of this transaction: " + recipient);
    }

    /** True when the message was accepted for at least one recipient. */
    public boolean delivered() {
        return dataReply != null && dataReply.code() / 100 == 2;
    }
}
