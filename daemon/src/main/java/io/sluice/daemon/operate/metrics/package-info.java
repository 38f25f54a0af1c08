/**
 * Metrics (Micrometer, exposed at {@code /prometheus}): counters derived from the event stream,
 * so they agree with the event log by construction, and gauges read when scraped: queue depths
 * from the snapshot the egress scheduler publishes, so a scrape never waits for the scheduler.
 * Nothing here is on the path of a message.
 */
package io.sluice.daemon.operate.metrics;
