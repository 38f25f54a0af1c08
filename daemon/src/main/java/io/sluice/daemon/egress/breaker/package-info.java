/**
 * The reputation circuit breaker: rules as data ({@code breaker-rules.yml}, and the operator's
 * {@code sluice.breaker.rules-file}) over the rolling counts of {@code outcome.rates}; a rule that
 * trips either warns (a {@code BreakerWarning} event) or pauses a sender or a source towards one
 * provider with a hold of the ordinary kind ({@code tenant:T>PROVIDER},
 * {@code campaign:C>PROVIDER}, {@code source:SOURCE>PROVIDER}): mail waits and is never bounced,
 * the hold is broadcast to a cluster's other nodes, shown in {@code /admin/suspensions}, and lifted
 * by {@code sluicectl resume} or when its cool-down passes.
 *
 * <p>Promises: a provider without a feedback loop is never judged on complaints; the same
 * evidence never trips a rule twice (after a trip, a rule counts only buckets that start after
 * it); time is the injected clock's (through the events).
 */
package io.sluice.daemon.egress.breaker;
