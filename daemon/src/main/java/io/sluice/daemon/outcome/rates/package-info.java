/**
 * Deliverability rates: rolling counts of what became of deliveries (delivered, deferred, bounced,
 * hard-bounced, blocked) and what receivers said afterwards (complaints, unsubscribes), per
 * provider × source × tenant × campaign and per the roll-ups the circuit breaker and the metrics
 * read, over sliding windows of 15 minutes, 1 hour and 24 hours.
 *
 * <p>Fed from the event log ({@link io.sluice.daemon.outcome.rates.Rates} subscribes to it), so it
 * counts exactly what the event file says; time is the events' own, which comes from the injected
 * clock. Promises: memory is bounded (each key is a fixed ring of minute and hour buckets, about
 * 2 KB; the number of keys per table is capped, and past the cap a new key's counts go to its
 * provider's {@code other} key); nothing here holds or bounces mail; the data are per node and
 * start empty after a restart.
 */
package io.sluice.daemon.outcome.rates;
