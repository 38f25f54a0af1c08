package io.sluice.queue;

/**
 * {@link Durability#MMAP}: the record is in the page cache through the mapping the moment the
 * write returns, and the kernel writes it back even if this process is killed. So each waiter is
 * released right after its own append, without waiting for the rest of the batch.
 */
final class MmapCommit implements CommitStrategy {
    private final SpoolProbe probe;

    MmapCommit(SpoolProbe probe) {
        this.probe = probe;
    }

    @Override
    public void appended(PendingAppend p) {
        CommitStrategy.complete(p, probe);
    }

    @Override
    public void endOfBatch() {
        // nothing held back
    }
}
