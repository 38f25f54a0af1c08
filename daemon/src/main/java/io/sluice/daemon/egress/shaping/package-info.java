/**
 * Provider shaping and adaptive backoff as data: {@link io.sluice.daemon.egress.shaping.ShapingRules}
 * compiles the shipped {@code providers.yml} and the operator's rules file into provider rules
 * (matched by domain or by MX host suffix, so a provider's many MX names roll up to one set of
 * limits) and reply rules (regexes over "code enhanced-code text" that suspend, throttle or
 * bounce). {@link io.sluice.daemon.egress.shaping.Gcra} is the rate limiter, driven by the caller's time.
 * Holds ({@link io.sluice.daemon.egress.shaping.Suspensions}) are keyed by the sealed
 * {@link io.sluice.daemon.egress.shaping.HoldScope}, whose text form ({@code path:SOURCE>SITE}, ...) is
 * the only one the admin API, {@code sluicectl}, events and the cluster see. A provider rule's TLS
 * policy is a {@code protocol.client.TlsMode}, read from the rules file's word.
 * Nothing here bounces or suppresses a recipient for a policy reply: suspended mail waits.
 */
package io.sluice.daemon.egress.shaping;
