/**
 * {@code sluicectl}: the operator's command line over the authenticated admin HTTP API
 * ({@code /admin/...}, {@code /prometheus}). It holds no state and touches no spool: every command
 * is one or two HTTP calls. Exit codes are a promise to scripts: 0 ok, 1 the server said no (or
 * not found), 2 usage, 3 cannot connect.
 */
package io.sluice.daemon.operate.ctl;
