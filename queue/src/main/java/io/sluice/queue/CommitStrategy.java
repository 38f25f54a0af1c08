package io.sluice.queue;

/**
 * When appended records count as durable and their waiters are released. Two real
 * implementations: {@link MmapCommit} (written to the mapped file is enough) and
 * {@link GroupCommit} (fsync once per batch). Called only under the message log's write lock,
 * by whichever thread holds it.
 */
interface CommitStrategy {
    /** {@code p} was written at {@code p.index} (or failed, {@code p.failure != null}). */
    void appended(PendingAppend p);

    /** The writer has drained what had queued up; nothing more is coming in this batch. */
    void endOfBatch();

    static void complete(PendingAppend p, SpoolProbe probe) {
        if (p.failure != null) {
            p.done.completeExceptionally(p.failure);
            return;
        }
        if (!p.isCopy()) {
            probe.acknowledged(p.id, p.index);
        }
        p.done.complete(p.index);
    }
}
