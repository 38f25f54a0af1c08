package io.sluice.protocol.client;

import io.sluice.protocol.smtp.SmtpReply;

/** The server's answer to one RCPT TO. */
public record RecipientReply(String recipient, SmtpReply reply) {
}
