/**
 * The outbound SMTP client (RFC 5321, RFC 3207 STARTTLS, RFC 1870 SIZE, RFC 6152 8BITMIME) on
 * Netty 4.2.
 *
 * <p>A pipeline of small handlers: {@code SslHandler} (after STARTTLS), {@link
 * io.sluice.protocol.client.SmtpReplyDecoder} (bytes to whole replies, multiline folded),
 * {@link io.sluice.protocol.client.SmtpClientEncoder} (commands, and the message body dot-stuffed
 * without copying it) and {@link io.sluice.protocol.client.SmtpSessionHandler}, which pairs each
 * reply with the command that waits for it. {@link io.sluice.protocol.client.SmtpConnection}
 * drives the dialogue as a chain of futures: greeting, EHLO (HELO fallback), STARTTLS, then any
 * number of transactions, then QUIT.
 *
 * <p>Promises: every failure is a {@link io.sluice.protocol.client.SmtpClientException} whose
 * {@code kind} says what went wrong and whose {@code reply} carries the server's words when there
 * were any; a 421 at any point closes the connection (RFC 5321 §3.8); each phase has its own
 * timeout (RFC 5321 §4.5.3.2); a transaction's per-recipient outcomes are values in
 * {@link io.sluice.protocol.client.TransactionResult}, not exceptions. Futures complete on the
 * connection's event loop: callers must not block in their callbacks.
 */
package io.sluice.protocol.client;
