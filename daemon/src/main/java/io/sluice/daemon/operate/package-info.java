/**
 * Everything an operator touches: the event log and webhooks ({@code events}), metrics
 * ({@code metrics}), the admin API ({@code admin}), the status page ({@code status}), health
 * ({@code health}), systemd, signals and reload ({@code lifecycle}) and {@code sluicectl}
 * ({@code ctl}). Nothing here is on the path of a message except publishing an event, which never
 * blocks it.
 */
package io.sluice.daemon.operate;
