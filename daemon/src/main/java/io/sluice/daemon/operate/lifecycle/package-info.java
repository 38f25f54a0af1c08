/**
 * Running under an operator: systemd readiness notification ({@code Type=notify}), signal
 * handling (SIGHUP reloads, SIGTERM stops in order and exits 0) and the reload of everything
 * {@link io.sluice.daemon.operate.lifecycle.Reloadable}. Nothing here touches mail; it tells the parts that
 * do when to reload or stop.
 */
package io.sluice.daemon.operate.lifecycle;
