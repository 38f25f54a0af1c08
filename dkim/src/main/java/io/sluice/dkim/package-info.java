/**
 * DKIM signing for outgoing mail (RFC 6376, with Ed25519-SHA256 from RFC 8463).
 *
 * <p>What lives here: the values that describe a signature ({@link io.sluice.dkim.Algorithm},
 * {@link io.sluice.dkim.Canonicalization}, {@link io.sluice.dkim.CanonPair},
 * {@link io.sluice.dkim.SigningIdentity}), keys ({@link io.sluice.dkim.DkimKey},
 * {@link io.sluice.dkim.KeyGenerator}, {@link io.sluice.dkim.DnsRecord}), and the two halves of
 * signing that the daemon runs at different times ("sign late, hash early", ARCHITECTURE.md):
 * <ul>
 *   <li>{@link io.sluice.dkim.BodyHasher} — fed the body once, in chunks, while it is spooled;
 *       yields the {@code bh=} value (RFC 6376 §3.7) without keeping a copy of the body.</li>
 *   <li>{@link io.sluice.dkim.DkimSigner} — per delivery, from the final header block and the
 *       stored body hash, produces the folded {@code DKIM-Signature} field to prepend.</li>
 * </ul>
 *
 * <p>Promises: all input and output is the exact CRLF byte form that goes on the wire (the spool
 * format); nothing here normalises line endings. Signing is deterministic for both algorithms
 * (RSA PKCS#1 v1.5 and Ed25519), so the RFC 8463 Appendix A vectors reproduce byte for byte.
 * No {@code l=} tag is ever produced (RFC 6376 §8.2: it lets anyone append content).
 * {@link io.sluice.dkim.DkimSigner} is safe to share between threads. Plain Java on JCA and
 * Bouncy Castle; no framework.
 */
package io.sluice.dkim;
