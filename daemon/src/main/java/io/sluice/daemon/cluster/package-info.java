/**
 * Cluster mode: several Sluice nodes sharing, through Redis, what must be global — provider
 * rates and connection caps, warm-up budgets, suppression lists and operator holds.
 *
 * <p>Promises: without {@code sluice.cluster.redis.uri} nothing here touches Redis and Lettuce is
 * never loaded ({@link io.sluice.daemon.cluster.Shared#LOCAL} stands in). Delivery threads never
 * wait on Redis: they answer from leases that the cluster thread renews in the background. While
 * Redis is unreachable a node keeps delivering under {@code sluice.cluster.outage-share} of each
 * global limit, enforces the suppressions it has persisted, says so loudly in its log, and
 * reconciles when Redis returns. The guarantees are spelled out in {@code docs/scaling.md}.
 */
package io.sluice.daemon.cluster;
