/**
 * Where mail for a domain goes: MX resolution (RFC 5321 §5.1, RFC 7505 null MX) with dnsjava.
 *
 * <p>{@link io.sluice.protocol.dns.MxResolver} turns a domain into a
 * {@link io.sluice.protocol.dns.Route}: the MX hosts in the order to try them with their addresses,
 * or a precise reason there is none. It never throws for DNS trouble; every outcome is a value the
 * scheduler can act on: {@code Hosts} (deliver), {@code NullMx} and {@code NoSuchDomain}
 * (bounce now), {@code TemporaryFailure} (retry later). It keeps no cache: each call asks the
 * server, so tests see exactly what the server says and the daemon owns caching policy.
 *
 * <p>{@link io.sluice.protocol.dns.RecordLookup} (over dnsjava:
 * {@link io.sluice.protocol.dns.DnsjavaRecordLookup}) answers the single-record questions of
 * sender checks (TXT, A, AAAA, MX, PTR), keeping "no such record" (an empty list) apart from "no
 * answer" ({@link io.sluice.protocol.dns.DnsFailure}).
 */
package io.sluice.protocol.dns;
