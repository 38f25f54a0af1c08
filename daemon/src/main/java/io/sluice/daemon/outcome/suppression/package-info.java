/**
 * The suppression store: addresses and whole domains a tenant (or everyone, the global list
 * {@code *}) must not mail, why (hard-bounce, complaint, unsubscribe, manual,
 * repeated-soft-bounce), who or what said so, since when and until when — with the full history
 * of every address.
 *
 * <p>Why a Chronicle log plus an in-memory index, and not a database: the store is read on every
 * RCPT and again on every dispatch, so a lookup must be sub-microsecond and never block on I/O;
 * it is written rarely (bounces, complaints, clicks, imports). An append-only change log is
 * exactly the audit trail we must keep anyway, Chronicle is already how the spool stays durable
 * (mmap: survives a killed process; {@code sync()} after bulk imports), and replaying 10 million
 * small records at start takes seconds (see docs/benchmarks.md, "Suppression"). The index keeps
 * only a 64-bit hash and the log position per entry in primitive arrays: no object per entry, so
 * 10M entries fit in a few hundred MB and add nothing for the GC to trace. In cluster mode this
 * store stays every node's persistent copy; {@code io.sluice.daemon.cluster.ClusterSuppression}
 * only carries changes between nodes, applying others' with {@code applyReplicated} (last writer
 * wins, logged with their origin node, no event).
 *
 * <p>Promises: {@link io.sluice.daemon.outcome.suppression.SuppressionStore#isSuppressed} allocates
 * nothing and takes no lock; a change is in the log before it is in the index; nothing in the
 * log is ever rewritten, so {@code history} shows every add and remove with its source and note.
 */
package io.sluice.daemon.outcome.suppression;
