/**
 * The admin HTTP API under {@code /admin} (docs/api.md), guarded by {@link
 * io.sluice.daemon.operate.admin.AdminAuthFilter} ({@code sluice.admin.token} as a bearer token;
 * loopback-only when unset). The egress side ({@link io.sluice.daemon.operate.admin.AdminController}):
 * what waits where and why, suspend and resume, warm-up progress, reload of pools, schedules
 * and rules, read and steered through {@link io.sluice.daemon.egress.EgressView}. The
 * suppression side ({@link io.sluice.daemon.operate.admin.SuppressionController}): query, add, remove,
 * history of one address, CSV export and streamed bulk import. No state of its own. The egress
 * endpoints run on the blocking executor, never on an HTTP event loop: some wait for the
 * scheduler thread.
 */
package io.sluice.daemon.operate.admin;
