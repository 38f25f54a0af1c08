/**
 * The event log: one JSON object per line for every reception and every delivery outcome
 * (Reception, Delivery, TransientFailure, Bounce, Expiration), appended to
 * {@code sluice.events.file}. Publishing never blocks a delivery on disk; events are written
 * in the order they were published. Field names are a public contract: {@code docs/events.md}.
 */
package io.sluice.daemon.operate.events;
