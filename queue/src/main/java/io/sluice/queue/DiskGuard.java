package io.sluice.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps writes off a full disk. A write into a memory-mapped page the file system cannot back
 * raises SIGBUS and kills the JVM, so we refuse the write while we still can: before every append
 * the writer reserves what it needs against the last measured usable space, and the file store is
 * measured again when the measurement is older than {@link #REFRESH_NANOS} or the reservations
 * would cross the threshold. Thread-safe.
 */
final class DiskGuard {
    static final long REFRESH_NANOS = 5_000_000L; // 5 ms: statvfs costs ~1 µs, but not per message

    private final FileStore store;
    private final long minFreeBytes;
    private volatile long measuredUsable;
    private volatile long measuredAt;
    /** Usable space when an accept was last refused; -1 once space has come back since. */
    private volatile long refusedAtUsable = -1;
    private final AtomicLong reservedSinceMeasure = new AtomicLong();
    /** Reserved but not yet written: not in any measurement yet, whenever it was reserved. */
    private final AtomicLong inFlight = new AtomicLong();

    DiskGuard(Path directory, long minFreeBytes) throws IOException {
        this.store = Files.getFileStore(directory);
        this.minFreeBytes = minFreeBytes;
        measure();
    }

    /** Reserves {@code bytes} above the threshold, or throws without reserving. */
    void reserve(long bytes) throws SpoolFullException {
        if (!tryReserve(bytes, minFreeBytes)) {
            refusedAtUsable = measuredUsable;
            throw new SpoolFullException("spool disk below minimum free space: usable " + measuredUsable
                    + " bytes, need " + bytes + " + reserve " + minFreeBytes);
        }
    }

    /**
     * For journal writes, which may dip into the reserve (an outcome is what frees space) but never
     * below a quarter of it: dropping an outcome costs a duplicate delivery, SIGBUS costs everything.
     */
    boolean tryReserveJournal(long bytes) {
        return tryReserve(bytes, minFreeBytes / 4);
    }

    private boolean tryReserve(long bytes, long floor) {
        long now = System.nanoTime();
        if (now - measuredAt > REFRESH_NANOS) {
            measure();
        }
        if (available() - bytes < floor) {
            measure(); // maybe space came back (reclaim ran): look before refusing
            if (available() - bytes < floor) {
                return false;
            }
        }
        reservedSinceMeasure.addAndGet(bytes);
        inFlight.addAndGet(bytes);
        return true;
    }

    /** The reserved bytes were written (or the write was abandoned). */
    void release(long bytes) {
        inFlight.addAndGet(-bytes);
    }

    // In-flight bytes reserved since the measurement are counted twice: conservative on purpose.
    private long available() {
        return measuredUsable - reservedSinceMeasure.get() - inFlight.get();
    }

    long usableBytes() {
        measure();
        return measuredUsable;
    }

    /**
     * Below the threshold, or accepts were refused (threshold + message size) and no space has
     * come back since: either way the daemon should stop taking mail.
     */
    boolean degraded(long usable) {
        long refused = refusedAtUsable;
        if (refused >= 0 && usable > refused) {
            refusedAtUsable = refused = -1;
        }
        return usable < minFreeBytes || refused >= 0;
    }

    long minFreeBytes() {
        return minFreeBytes;
    }

    private synchronized void measure() {
        try {
            // Reservations written before this measurement are in it; those still in flight
            // stay counted in inFlight.
            long usable = store.getUsableSpace();
            reservedSinceMeasure.set(0);
            measuredUsable = usable;
            measuredAt = System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
