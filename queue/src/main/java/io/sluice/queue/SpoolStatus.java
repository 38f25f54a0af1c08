package io.sluice.queue;

/**
 * A point-in-time view for metrics and health checks. {@code degraded} is true while the file
 * store's usable space is below {@code minFreeBytes}, i.e. while accepts are refused.
 */
public record SpoolStatus(long freeBytes, long minFreeBytes, boolean degraded, long liveMessages,
                          long liveDeliveries, long diskBytesUsed) {}
