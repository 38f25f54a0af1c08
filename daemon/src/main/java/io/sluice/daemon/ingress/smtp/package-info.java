/**
 * The SMTP listeners (SubEthaSMTP, one thread per session): {@code SmtpIngress} relays for the
 * configured networks; {@code SubmissionIngress} (RFC 6409) relays for users who logged in after
 * STARTTLS. Both run {@code IngressSession}, which differs only by its {@code Policy} (who may
 * relay, which tenant, which X-Sluice labels). Promises: 250 after DATA only once the message is
 * durable; DATA ends only at CRLF.CRLF and bare CR/LF are normalised before anything looks at the
 * message; size, line length, recipient count, relay rights, domain, rate and loops are checked
 * with RFC 3463 enhanced codes in every refusal ({@code EnhancedReplies} adds them to
 * SubEthaSMTP's own replies, above TLS after STARTTLS); only the limits answered with 421 end the
 * session.
 */
package io.sluice.daemon.ingress.smtp;
