/**
 * Sending identities: {@link io.sluice.daemon.egress.sources.Source} (a local IP to bind and its EHLO
 * name), weighted {@link io.sluice.daemon.egress.sources.Pool}s, and the
 * {@link io.sluice.daemon.egress.sources.EgressPlan} read from {@code sluice.egress.file} that says which
 * pool a tenant, campaign or X-Sluice-Pool header uses. Without a file: one implicit source that
 * binds nothing, as before pools existed.
 */
package io.sluice.daemon.egress.sources;
