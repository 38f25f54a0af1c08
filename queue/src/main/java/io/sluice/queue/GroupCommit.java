package io.sluice.queue;

import net.openhft.chronicle.queue.ExcerptAppender;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Durability#FSYNC}: holds every waiter of a batch, forces the batch to disk once, then
 * releases them all. There is no linger timer: the writer takes whatever queued up while the
 * previous sync ran, so the batch grows exactly as fast as syncs are slow.
 *
 * <p>{@code appender.sync()} msyncs only the mapping the appender currently writes through. So
 * when the batch crossed into another mapping (a new chunk) or another cycle file, the whole of
 * every touched file is fsynced instead, and a newly created cycle file also fsyncs the directory
 * so its name survives a power cut.
 */
final class GroupCommit implements CommitStrategy {
    private final SpoolProbe probe;
    private final CycleFiles files;
    private final List<PendingAppend> held = new ArrayList<>();
    private ExcerptAppender appender;
    private Object storeAtLastSync;
    private int cycleAtLastSync = Integer.MIN_VALUE;

    GroupCommit(SpoolProbe probe, CycleFiles files) {
        this.probe = probe;
        this.files = files;
    }

    /** The message log's appender; set once, before the first batch. */
    void bind(ExcerptAppender appender) {
        this.appender = appender;
    }

    @Override
    public void appended(PendingAppend p) {
        held.add(p);
    }

    @Override
    public void endOfBatch() {
        if (held.isEmpty()) {
            return;
        }
        long upTo = -1;
        int minCycle = Integer.MAX_VALUE;
        int maxCycle = Integer.MIN_VALUE;
        for (PendingAppend p : held) {
            if (p.failure == null) {
                upTo = Math.max(upTo, p.index);
                int c = files.cycleOf(p.index);
                minCycle = Math.min(minCycle, c);
                maxCycle = Math.max(maxCycle, c);
            }
        }
        if (upTo >= 0) {
            try {
                sync(minCycle, maxCycle);
                probe.synced(upTo);
            } catch (IOException | RuntimeException e) {
                SpoolException failure = new SpoolException("fsync of the messages queue failed", e);
                for (PendingAppend p : held) {
                    if (p.failure == null) {
                        p.failure = failure;
                    }
                }
            }
        }
        for (PendingAppend p : held) {
            CommitStrategy.complete(p, probe);
        }
        held.clear();
    }

    private void sync(int minCycle, int maxCycle) throws IOException {
        Object store = appender.wire() == null ? null : appender.wire().bytes().bytesStore();
        boolean sameMapping = store != null && store == storeAtLastSync
                && minCycle == maxCycle && maxCycle == cycleAtLastSync;
        if (sameMapping) {
            appender.sync(); // msync of the current mapping up to the write position
        } else {
            appender.sync();
            // Every record of this batch lies in a cycle between min and max; the batch is at
            // most a few rolls long, but a restart may leave a gap, so look at what exists.
            for (java.nio.file.Path f : files.list().subMap(minCycle, true, maxCycle, true).values()) {
                FileSync.force(f);
            }
            if (maxCycle != cycleAtLastSync) {
                FileSync.forceDirectory(files.dir());
            }
        }
        storeAtLastSync = store;
        cycleAtLastSync = maxCycle;
    }
}
