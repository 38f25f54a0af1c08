/**
 * The scheduler's data structures: the {@link io.sluice.daemon.egress.schedule.TimerWheel} that holds
 * retry timers (a million timers, no task each), and the scheduled queues per (tenant, campaign,
 * domain) with their fair order ({@link io.sluice.daemon.egress.schedule.FairQueues}: the transactional
 * class first, then weighted round-robin across tenants). Plain single-threaded classes: the
 * dispatcher's scheduler thread owns them.
 */
package io.sluice.daemon.egress.schedule;
