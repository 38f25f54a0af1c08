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
 *
 * <p>TLS: opportunistic sessions take any certificate; a session whose settings carry a
 * {@link io.sluice.protocol.client.PeerAuthentication} other than {@code Any} negotiates TLS 1.2 or
 * later, sends the MX name in SNI, and judges the certificate by the Web PKI (chain to the
 * client's anchors, name per RFC 8461 §4.1 in {@link io.sluice.protocol.client.CertificateNames})
 * or by a delegated trust manager (DANE); the verdict is in
 * {@link io.sluice.protocol.client.SmtpConnection#tls()}. Plaintext that follows the 220 to
 * STARTTLS (response injection) fails the session.
 */
package io.sluice.protocol.client;
