/**
 * The egress engine: routing (smarthost or MX), the dispatcher that groups due deliveries by
 * destination and reuses connections, retry timing, and the recording of every outcome.
 * Promises: an outcome is journaled before its event is published and before anything is
 * retried; a destination that does not answer is rested, not hammered; a delivery leaves the
 * spool only with a final outcome (delivered, bounced, expired).
 */
package io.sluice.daemon.egress;
