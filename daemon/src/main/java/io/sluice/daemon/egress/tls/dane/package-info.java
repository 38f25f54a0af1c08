/**
 * The daemon's side of DANE: builds {@link io.sluice.protocol.dane.DaneLookup} from
 * {@code sluice.dane.*} (validation here from trust anchors, or the AD bit of a loopback
 * resolver, or off). The lookups, the statuses and the TLSA trust manager live in
 * {@code io.sluice.protocol.dane}, framework-free; the TLS policy resolver asks it first, before
 * MTA-STS (RFC 8461 §2). A bogus host is refused with a
 * {@link io.sluice.daemon.egress.tls.DnssecInvalidException} (TLS-RPT {@code dnssec-invalid});
 * validation broken at the anchor is an alarm, a {@code DaneValidationBroken} event in the event
 * log, and DANE is off meanwhile. See docs/dane-tlsrpt.md.
 */
package io.sluice.daemon.egress.tls.dane;
