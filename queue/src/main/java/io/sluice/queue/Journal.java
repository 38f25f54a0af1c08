package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;

/**
 * The {@code journal} queue: per-recipient outcomes, copy-forward moves, and checkpoints.
 * Record layouts (raw bytes, first byte = type):
 * <pre>
 *   OUTCOME  utf8 id, int recipient, byte kind, long sec, int nano,
 *            [DEFERRED: int attempts, long nextSec, int nextNano], utf8 text (reason / removed by)
 *   MOVED    utf8 id, long newIndex
 *   CP_BEGIN long coveredMessagesIndex, int liveMessages
 *   CP_ENTRY utf8 id, long index, envelope (as in MessageRecord), int n,
 *            n x (byte done, int attempts, byte hasNext, [long sec, int nano])
 *   CP_END   long beginIndex
 * </pre>
 * A checkpoint is BEGIN, one ENTRY per live message, END; it is complete only with its END, and
 * END points back at its BEGIN so recovery finds it by reading backwards from the tail.
 * Appends come from many threads, so the single appender is guarded by this object's lock;
 * callers that must order a journal write with in-memory state take the same lock
 * ({@link #lock()}). Appends never wait for a sync.
 */
final class Journal implements AutoCloseable {
    static final byte OUTCOME = 1;
    static final byte MOVED = 2;
    static final byte CP_BEGIN = 3;
    static final byte CP_ENTRY = 4;
    static final byte CP_END = 5;

    static final byte DELIVERED = 1;
    static final byte BOUNCED = 2;
    static final byte EXPIRED = 3;
    static final byte REMOVED = 4;
    static final byte DEFERRED = 5;

    private final SingleChronicleQueue queue;
    private final CycleFiles files;
    private final DiskGuard disk;
    private final ExcerptAppender appender;
    private long droppedForSpace;

    Journal(Path dir, RollCycle rollCycle, Clock clock, DiskGuard disk) {
        this.queue = SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(rollCycle)
                .blockSize(16L << 20)
                .timeProvider(clock::millis)
                .build();
        this.files = new CycleFiles(dir, rollCycle);
        this.disk = disk;
        this.appender = queue.createAppender();
        // used by many threads, one at a time under this object's lock
        this.appender.singleThreadedCheckDisabled(true);
    }

    Object lock() {
        return this;
    }

    CycleFiles files() {
        return files;
    }

    synchronized long droppedForSpace() {
        return droppedForSpace;
    }

    /** Appends an outcome; false when the disk is too full to write even into the reserve. */
    synchronized boolean outcome(DeliveryId id, Outcome o) {
        String text = o instanceof Outcome.Bounced b ? b.reason()
                : o instanceof Outcome.Removed r ? r.by()
                : o instanceof Outcome.Deferred d ? d.reason() : "";
        if (!disk.tryReserveJournal(128 + text.length() * 3L)) {
            droppedForSpace++;
            return false;
        }
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = dc.wire().bytes();
            out.writeByte(OUTCOME);
            out.writeUtf8(id.message().value());
            out.writeInt(id.recipient());
            out.writeByte(kindOf(o));
            writeInstant(out, o.at());
            if (o instanceof Outcome.Deferred d) {
                out.writeInt(d.attempts());
                writeInstant(out, d.nextAttempt());
            }
            out.writeUtf8(text);
        } finally {
            disk.release(128 + text.length() * 3L);
        }
        return true;
    }

    synchronized void moved(MessageId id, long newIndex) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = dc.wire().bytes();
            out.writeByte(MOVED);
            out.writeUtf8(id.value());
            out.writeLong(newIndex);
        }
    }

    /**
     * Writes a checkpoint of {@code live}, covering messages up to {@code coveredIndex}. The
     * caller holds {@link #lock()} so no outcome slips in between. Returns the BEGIN index.
     */
    synchronized long checkpoint(long coveredIndex, Collection<LiveMessage> live) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = dc.wire().bytes();
            out.writeByte(CP_BEGIN);
            out.writeLong(coveredIndex);
            out.writeInt(live.size());
        }
        long begin = appender.lastIndexAppended();
        for (LiveMessage m : live) {
            synchronized (m) {
                try (DocumentContext dc = appender.writingDocument()) {
                    Bytes<?> out = dc.wire().bytes();
                    out.writeByte(CP_ENTRY);
                    out.writeUtf8(m.id.value());
                    out.writeLong(m.index());
                    MessageRecord.writeEnvelope(out, m.envelope);
                    out.writeInt(m.recipients());
                    for (int r = 0; r < m.recipients(); r++) {
                        out.writeByte((byte) (m.isDone(r) ? 1 : 0));
                        out.writeInt(m.attempts(r));
                        Instant next = m.nextAttempt(r);
                        out.writeByte((byte) (next == null ? 0 : 1));
                        if (next != null) {
                            writeInstant(out, next);
                        }
                    }
                }
            }
        }
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = dc.wire().bytes();
            out.writeByte(CP_END);
            out.writeLong(begin);
        }
        return begin;
    }

    /** Forces the journal's current mapping to disk (after a move, before the old file goes). */
    synchronized void sync() {
        appender.sync();
    }

    /** Index of the BEGIN of the last complete checkpoint, or -1. Reads backwards from the tail. */
    long lastCheckpointBegin() {
        try (ExcerptTailer t = queue.createTailer()) {
            t.direction(TailerDirection.BACKWARD).toEnd();
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return -1;
                    }
                    Bytes<?> in = dc.wire().bytes();
                    // a torn END (too short to hold its pointer) is no checkpoint
                    if (in.readRemaining() >= 9 && in.readByte() == CP_END) {
                        return in.readLong();
                    }
                }
            }
        }
    }

    /**
     * Reads forward from {@code fromIndex} (or the start when -1), handing each record to the
     * reader. A record the reader cannot decode goes to {@code corrupt} with its bytes and the
     * replay goes on; a failure of the queue's own framing ends the replay there.
     */
    void replay(long fromIndex, RecordReader reader, MessageLog.CorruptRecord corrupt) {
        try (ExcerptTailer t = queue.createTailer()) {
            if (fromIndex >= 0) {
                if (!t.moveToIndex(fromIndex)) {
                    throw new IllegalStateException("journal checkpoint at " + fromIndex + " is gone");
                }
            } else {
                t.toStart();
            }
            while (true) {
                long lastGood = t.index();
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    Bytes<?> in = dc.wire().bytes();
                    long start = in.readPosition();
                    try {
                        reader.read(in.readByte(), in, dc.index());
                    } catch (RuntimeException e) {
                        corrupt.found(dc.index(), MessageLog.rawFrom(in, start), e);
                    }
                } catch (RuntimeException framing) {
                    corrupt.found(lastGood, new byte[0], framing);
                    return;
                }
            }
        }
    }

    interface RecordReader {
        void read(byte type, Bytes<?> in, long index);
    }

    static Outcome readOutcome(Bytes<?> in, byte kind) {
        Instant at = readInstant(in);
        return switch (kind) {
            case DELIVERED -> { in.readUtf8(); yield new Outcome.Delivered(at); }
            case BOUNCED -> new Outcome.Bounced(at, in.readUtf8());
            case EXPIRED -> { in.readUtf8(); yield new Outcome.Expired(at); }
            case REMOVED -> new Outcome.Removed(at, in.readUtf8());
            case DEFERRED -> {
                int attempts = in.readInt();
                Instant next = readInstant(in);
                yield new Outcome.Deferred(at, attempts, next, in.readUtf8());
            }
            default -> throw new CorruptRecordException("unknown outcome kind " + kind);
        };
    }

    static void writeInstant(Bytes<?> out, Instant i) {
        out.writeLong(i.getEpochSecond());
        out.writeInt(i.getNano());
    }

    static Instant readInstant(Bytes<?> in) {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static byte kindOf(Outcome o) {
        if (o instanceof Outcome.Delivered) return DELIVERED;
        if (o instanceof Outcome.Bounced) return BOUNCED;
        if (o instanceof Outcome.Expired) return EXPIRED;
        if (o instanceof Outcome.Removed) return REMOVED;
        return DEFERRED;
    }

    int cycleOf(long index) {
        return files.cycleOf(index);
    }

    /** The journal's current cycle (where the next append goes). */
    int currentCycle() {
        return queue.cycle();
    }

    void filesDeleted() {
        queue.refreshDirectoryListing();
    }

    @Override
    public synchronized void close() {
        appender.close();
        queue.close();
    }
}
