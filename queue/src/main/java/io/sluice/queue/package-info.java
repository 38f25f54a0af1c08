/**
 * The spool: where an accepted message is kept until every recipient has a final outcome.
 *
 * <p>Two Chronicle queues under the spool directory. {@code messages} gets exactly one append per
 * accepted message (envelope first, then the body, stored once); {@code journal} gets
 * per-recipient outcomes, copy-forward moves and periodic checkpoints of the live state.
 *
 * <p>Promises:
 * <ul>
 *   <li>{@link io.sluice.queue.Spool#accept} returns only when the message is durable as
 *       configured ({@link io.sluice.queue.Durability}); accepting never writes the journal.</li>
 *   <li>After a restart or a killed process, {@link io.sluice.queue.Spool#recovered()} holds exactly
 *       the deliveries with no final outcome journaled, with their retry state; recovery reads the
 *       last checkpoint, the journal after it and the envelopes (never bodies) of newer messages.</li>
 *   <li>A message leaves the spool only when all its recipients are final. Old cycle files go
 *       once their messages are final or the few live ones were copied forward (same id).</li>
 *   <li>No write starts while the file store is below {@code minFreeBytes} (plus what it needs):
 *       a full disk under a mapped file would kill the JVM with SIGBUS.</li>
 *   <li>Chronicle's analytics stay off.</li>
 * </ul>
 * Only the value types, {@link io.sluice.queue.Spool}, its settings, probe and exceptions are
 * public; the machinery (MessageLog, Journal, GroupCommit/MmapCommit, Recovery, Reclaimer,
 * DiskGuard, the record codecs) is package-private.
 */
package io.sluice.queue;
