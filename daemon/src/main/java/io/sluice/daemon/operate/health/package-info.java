/**
 * {@code GET /health} on the daemon's HTTP listener (Micronaut, {@code micronaut.server.port},
 * default 8025): UP, DEGRADED (spool below its free-space floor) or DOWN, with the listeners' and
 * the cluster link's state. Thin: it reads state, it changes nothing.
 */
package io.sluice.daemon.operate.health;
