/**
 * The admin API ({@code /admin/...}): what waits where and why, suspend and resume, warm-up
 * progress, reload of pools, schedules and rules. Authenticated by {@code sluice.admin.token}
 * (a bearer token), loopback-only when no token is set. It reads and steers the egress engine
 * through {@link io.sluice.daemon.delivery.EgressView}; it holds no state of its own.
 */
package io.sluice.daemon.admin;
