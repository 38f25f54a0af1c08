/**
 * Per-delivery identity on the way out, and the way back. At dispatch each delivery gets a
 * token (message id + recipient index + HMAC under {@code sluice.bounce.secret}, over tenant and
 * recipient too): as the VERP return path {@code b-<token>@<bounce domain>} (MAIL FROM), in a
 * trace header ({@code X-Sluice-Trace}) and in the mailto unsubscribe address — all before DKIM
 * signing. When a bounce, complaint or unsubscribe comes back, {@link
 * io.sluice.daemon.outcome.tokens.ReturnPaths#resolve} finds the delivery again; a token that does not
 * verify for the address it would name resolves to nothing. {@link
 * io.sluice.daemon.outcome.tokens.SentMessages} keeps the recent Message-IDs sent, so a bounce that
 * lost its token can still be tied to its delivery by the original header section it quotes: a
 * weaker link (a Message-ID can be forged), which the feedback loop never suppresses on alone. That
 * index is journaled under {@code sluice.feedback.message-id-index-dir} (the send path only queues;
 * a crash loses at most the last second) and, in cluster mode, shared with the other nodes. Mail from the null sender is never
 * rewritten, and Sluice itself never sends a DSN (so never one to the null sender).
 */
package io.sluice.daemon.outcome.tokens;
