package io.sluice.queue;

/**
 * A point-in-time view for metrics and health checks. {@code degraded} is true while accepts are
 * refused: the file store's usable space is below {@code minFreeBytes}, or the spool holds its
 * most live deliveries ({@link SpoolSettings#maxLiveDeliveries()}).
 * {@code quarantinedRecords} counts the records the last recovery could not decode and set aside
 * ({@link Spool#quarantined()}): non-zero means an operator should look under {@code quarantine/}.
 */
public record SpoolStatus(long freeBytes, long minFreeBytes, boolean degraded, long liveMessages,
                          long liveDeliveries, long diskBytesUsed, long quarantinedRecords) {}
