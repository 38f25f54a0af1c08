/**
 * DKIM for outgoing mail: "hash early, sign late" (ARCHITECTURE.md).
 *
 * <p>{@link io.sluice.daemon.egress.signing.DkimSettings} reads {@code sluice.dkim.*}: per author domain one
 * or more selectors, and extra (platform) signatures with a policy. {@link
 * io.sluice.daemon.egress.signing.SigningKeys} loads every key once, at start-up, and fails start-up with a
 * {@link io.sluice.daemon.config.ConfigException} naming the config key and the file. {@link
 * io.sluice.daemon.egress.signing.MessageSigner} is what the rest of the daemon calls: at ingress it hashes the
 * body once per body canonicalization in use and stores the hashes as envelope attributes
 * ({@code dkim.bh.relaxed}, {@code dkim.bh.simple}), so they live in the spool and survive restarts;
 * at dispatch it signs the header section per delivery and returns the fields to send before the
 * message. When no DKIM is configured both steps cost one boolean test.
 *
 * <p>Promises: the spooled message is never modified (signatures travel as a transaction prefix);
 * signing runs on the dispatcher's worker threads, never on Netty I/O threads; a message that
 * cannot be signed (no From, headers the signer cannot parse) is sent unsigned and logged.
 */
package io.sluice.daemon.egress.signing;
