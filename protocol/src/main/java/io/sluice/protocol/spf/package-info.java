/**
 * SPF (RFC 7208): {@link io.sluice.protocol.spf.SpfEvaluator} answers check_host() for an IP
 * address, a domain and a sender, with a {@link io.sluice.protocol.spf.SpfVerdict} (one of the
 * seven {@link io.sluice.protocol.spf.SpfResult}s and the term or error that decided it).
 *
 * <p>Promises: records are parsed by the RFC's grammar before any term is evaluated (a syntax
 * error anywhere is a permerror); the 10-lookup and 2-void-lookup limits hold across includes and
 * redirects; "no answer" from DNS is never read as "no record" (temperror). DNS goes through
 * {@link io.sluice.protocol.dns.RecordLookup}; nothing here caches, starts threads or depends on
 * the daemon. Cross-checked against pyspf (Debian's python3-spf) in the tests.
 */
package io.sluice.protocol.spf;
