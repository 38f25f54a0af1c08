package io.sluice.queue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * A free-space floor for a file the daemon writes beside the spool (the event log, the
 * suppression log, the idempotency file): a write that would leave less than the floor free is
 * refused while it can still be refused cleanly, instead of failing half-way (a torn line) or,
 * for a memory-mapped file, raising SIGBUS. The file store is measured again at most every
 * {@link #REFRESH_NANOS}, and always before a refusal, so space that comes back is seen at once.
 * Thread-safe. The spool's own appends use {@link DiskGuard}, which also reserves in-flight bytes.
 */
public final class FreeSpace {
    static final long REFRESH_NANOS = 5_000_000L;

    private final LongSupplier usable;
    private final long floor;
    private volatile long measured;
    private volatile long measuredAt;

    private FreeSpace(LongSupplier usable, long floor) {
        this.usable = usable;
        this.floor = floor;
        this.measured = usable.getAsLong();
        this.measuredAt = System.nanoTime();
    }

    /** The floor for the file store that holds {@code directory}; {@code floor} 0 turns the check off. */
    public static FreeSpace of(Path directory, long floor) throws IOException {
        Files.createDirectories(directory);
        FileStore store = Files.getFileStore(directory);
        return new FreeSpace(() -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE; // cannot measure: do not refuse on a guess; the write will tell
            }
        }, floor);
    }

    /** For tests: usable space as the supplier says. */
    public static FreeSpace measuredBy(LongSupplier usable, long floor) {
        return new FreeSpace(usable, floor);
    }

    /** Whether {@code bytes} more can be written and leave the floor free. */
    public boolean allows(long bytes) {
        if (floor <= 0) {
            return true;
        }
        long now = System.nanoTime();
        if (now - measuredAt > REFRESH_NANOS || measured - bytes < floor) {
            measured = usable.getAsLong();
            measuredAt = now;
        }
        return measured - bytes >= floor;
    }

    /** Usable bytes at the last measurement. */
    public long usableBytes() {
        return measured;
    }

    public long floor() {
        return floor;
    }

    /** The answer to give when a write is refused: what is free and what must stay free. */
    public String describe(Path file) {
        return "free disk for " + file + " is below its floor: usable " + measured + " bytes, floor " + floor;
    }
}
