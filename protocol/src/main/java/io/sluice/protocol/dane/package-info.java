/**
 * DANE for SMTP (RFC 7672): DNSSEC-validated lookups and certificate checks against TLSA records.
 *
 * <p>What lives here:
 * <ul>
 *   <li>{@link io.sluice.protocol.dane.DnssecLookups}: queries whose answers carry their DNSSEC
 *       state. {@link io.sluice.protocol.dane.ValidatingLookups} validates here with dnsjava's
 *       {@code ValidatingResolver} from trust anchors (the bundled {@code root-anchors.txt}:
 *       root KSK-2017, tag 20326, and KSK-2024, tag 38696; or an operator's file);
 *       {@link io.sluice.protocol.dane.AdBitLookups} trusts the AD bit of a validating resolver,
 *       and refuses any resolver not on loopback.</li>
 *   <li>{@link io.sluice.protocol.dane.DaneLookup}: the {@link io.sluice.protocol.dane.DaneStatus}
 *       of one (domain, MX host): TLSA for {@code _25._tcp.<host>} is asked only when the MX
 *       RRset and the host's address records (CNAMEs followed, RFC 7672 §2.2.2) are secure.</li>
 *   <li>{@link io.sluice.protocol.dane.TlsaTrustManager}: a JSSE trust manager that accepts a
 *       server chain matching a usable TLSA record (DANE-EE: leaf certificate or key, no name or
 *       date check; DANE-TA: a chain certificate as anchor, the chain validated up to it, the
 *       leaf's name checked against the reference names).</li>
 * </ul>
 *
 * <p>What it promises the caller (the TLS policy resolver, which puts DANE before MTA-STS,
 * RFC 8461 §2):
 * <ul>
 *   <li>{@code Usable}: TLS required, the chain verified with {@code TlsaTrustManager}; a
 *       mismatch defers, never falls back to clear text or to other checks.</li>
 *   <li>{@code UnusableOnly}: TLS required, unauthenticated.</li>
 *   <li>{@code Insecure}: no DANE; the next policy applies (MTA-STS, then opportunistic).</li>
 *   <li>{@code Bogus}: this host must not be used; the domain defers.</li>
 *   <li>{@code ValidationBroken}: the anchor zones themselves do not validate; the caller alarms
 *       and continues without DANE rather than deferring every domain.</li>
 * </ul>
 * Lookups never throw: trouble is a status. Nothing here caches or starts threads; callbacks run
 * on the executor given to the lookups. Framework-free, like the rest of {@code protocol}.
 */
package io.sluice.protocol.dane;
