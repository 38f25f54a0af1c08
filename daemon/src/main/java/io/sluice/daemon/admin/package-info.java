/**
 * The admin HTTP API under {@code /admin} (docs/api.md): guarded by {@link
 * io.sluice.daemon.admin.AdminAuthFilter} ({@code sluice.admin.token} as a bearer token;
 * loopback-only when unset). Here: the suppression list — query, add, remove, history of one
 * address, CSV export and streamed bulk import.
 */
package io.sluice.daemon.admin;
