/**
 * Wires the {@code queue} library's spool into the daemon: one {@link io.sluice.queue.Spool}
 * per process, opened (and recovered) before any listener starts, closed after they stop.
 */
package io.sluice.daemon.spool;
