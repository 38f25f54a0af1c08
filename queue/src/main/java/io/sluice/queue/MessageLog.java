package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code messages} queue: one document per accepted message (see {@link MessageRecord}).
 * Chronicle's appender is thread-confined, so every append goes through one writer thread that
 * drains whatever has queued up, appends it, and hands the batch to the {@link CommitStrategy}.
 * Reads use a small pool of tailers, so any thread may read.
 */
final class MessageLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageLog.class);
    private static final int MAX_BATCH = 1024;
    private static final int INBOX = 8192;

    private final SingleChronicleQueue queue;
    private final CycleFiles files;
    private final CommitStrategy commit;
    private final DiskGuard disk;
    private final SpoolProbe probe;
    private final Consumer<PendingAppend> onAppended;
    private final BlockingQueue<PendingAppend> inbox = new ArrayBlockingQueue<>(INBOX);
    private final ConcurrentLinkedDeque<ExcerptTailer> tailers = new ConcurrentLinkedDeque<>();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile long lastAppendedIndex;

    /**
     * @param onAppended called on the writer thread after each successful append, before the
     *                   commit releases the waiter (the spool puts the message in its live table)
     */
    MessageLog(Path dir, Durability durability, int maxMessageBytes, RollCycle rollCycle, Clock clock,
               SpoolProbe probe, DiskGuard disk, Consumer<PendingAppend> onAppended) {
        this.queue = SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(rollCycle)
                .blockSize(blockSizeFor(maxMessageBytes))
                .timeProvider(clock::millis)
                .build();
        this.files = new CycleFiles(dir, rollCycle);
        this.probe = probe;
        this.disk = disk;
        this.onAppended = onAppended;
        this.commit = durability == Durability.FSYNC ? new GroupCommit(probe, files) : new MmapCommit(probe);
        this.lastAppendedIndex = lastIndexOnDisk();
        this.writer = new Thread(this::writeLoop, "sluice-spool-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Chronicle refuses a document larger than a fraction (a quarter) of its block size, so the
     * block is sized for the largest message plus its envelope, times four, rounded up to a power
     * of two (50 MiB -> 256 MiB). Files are sparse: only written pages take disk.
     */
    static long blockSizeFor(int maxMessageBytes) {
        long need = ((long) maxMessageBytes + MessageRecord.MAX_ENVELOPE_BYTES + 4096) * 4;
        long size = Long.highestOneBit(need - 1) << 1;
        return Math.max(size, 16L << 20);
    }

    CycleFiles files() {
        return files;
    }

    SingleChronicleQueue queue() {
        return queue;
    }

    /** Index of the last record appended (by this or an earlier process), or -1 if none. */
    long lastAppendedIndex() {
        return lastAppendedIndex;
    }

    /** Hands a request to the writer; blocks only while the writer's inbox is full (backpressure). */
    void submit(PendingAppend p) throws SpoolException {
        if (!running) {
            disk.release(p.reservedBytes);
            throw new SpoolException("spool is closed");
        }
        try {
            inbox.put(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disk.release(p.reservedBytes);
            throw new SpoolException("interrupted while queuing the append", e);
        }
    }

    private void writeLoop() {
        ExcerptAppender appender = queue.createAppender();
        if (commit instanceof GroupCommit g) {
            g.bind(appender);
        }
        List<PendingAppend> batch = new ArrayList<>(MAX_BATCH);
        while (running || !inbox.isEmpty()) {
            try {
                PendingAppend first = inbox.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                inbox.drainTo(batch, MAX_BATCH - 1);
                for (PendingAppend p : batch) {
                    append(appender, p);
                    commit.appended(p);
                }
                commit.endOfBatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                LOG.error("spool writer failed a batch", t);
                for (PendingAppend p : batch) {
                    p.done.completeExceptionally(new SpoolException("spool writer failed", t));
                }
            } finally {
                batch.clear();
            }
        }
        appender.close();
    }

    private void append(ExcerptAppender appender, PendingAppend p) {
        if (!p.startWrite()) {
            p.failure = new SpoolException("append abandoned by its waiter before it started");
            disk.release(p.reservedBytes);
            return;
        }
        try {
            try (DocumentContext dc = appender.writingDocument()) {
                Bytes<?> out = dc.wire().bytes();
                if (p.isCopy()) {
                    out.writeByte(MessageRecord.COPIED);
                    out.write(p.raw, 1, p.raw.length - 1);
                } else {
                    MessageRecord.write(out, MessageRecord.ACCEPTED, p.id, p.envelope, p.body);
                }
            }
            p.index = appender.lastIndexAppended();
            if (!p.isCopy()) {
                probe.appended(p.id, p.index);
            }
            onAppended.accept(p);
            // Published only after the spool's table holds the message: a checkpoint that covers
            // this index must also contain the message, or recovery would skip it.
            lastAppendedIndex = p.index;
        } catch (Throwable t) {
            p.failure = t instanceof SpoolException ? t : new SpoolException("append failed", t);
        } finally {
            p.written();
            disk.release(p.reservedBytes);
        }
    }

    /** Reads one live message. Returns null when {@code index} no longer exists (moved/deleted). */
    StoredMessage read(MessageId expected, long index) {
        ExcerptTailer t = borrowTailer();
        try {
            if (!t.moveToIndex(index)) {
                return null;
            }
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                Bytes<?> in = dc.wire().bytes();
                MessageRecord.readKind(in);
                MessageId id = MessageRecord.readId(in);
                if (!id.equals(expected)) {
                    throw new IllegalStateException("index " + index + " holds " + id + ", expected " + expected);
                }
                Envelope e = MessageRecord.readEnvelope(in);
                return new StoredMessage(id, e, MessageRecord.readBody(in));
            }
        } finally {
            tailers.push(t);
        }
    }

    /** The whole record at {@code index}, for copy-forward; null if gone. */
    byte[] readRaw(long index) {
        ExcerptTailer t = borrowTailer();
        try {
            if (!t.moveToIndex(index)) {
                return null;
            }
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                Bytes<?> in = dc.wire().bytes();
                byte[] raw = new byte[(int) in.readRemaining()];
                in.read(raw);
                return raw;
            }
        } finally {
            tailers.push(t);
        }
    }

    /**
     * Visits the id and envelope of every record after {@code coveredIndex}, never the body. A
     * record that does not decode (or that the visitor refuses) goes to {@code corrupt} with its
     * bytes and the scan goes on; a failure of the queue's own framing ends the scan there, as
     * nothing after it can be located.
     */
    void scanEnvelopesAfter(long coveredIndex, EnvelopeVisitor visitor, CorruptRecord corrupt) {
        try (ExcerptTailer t = queue.createTailer()) {
            boolean positioned = coveredIndex >= 0 && t.moveToIndex(coveredIndex);
            if (positioned) {
                try (DocumentContext dc = t.readingDocument()) {
                    // skip the covered record itself
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
                    long index = dc.index();
                    if (index <= coveredIndex) {
                        continue;
                    }
                    Bytes<?> in = dc.wire().bytes();
                    long start = in.readPosition();
                    try {
                        byte kind = MessageRecord.readKind(in);
                        if (kind != MessageRecord.ACCEPTED && kind != MessageRecord.COPIED) {
                            throw new CorruptRecordException("unknown record kind " + kind);
                        }
                        MessageId id = MessageRecord.readId(in);
                        visitor.visit(id, MessageRecord.readEnvelope(in), index, kind == MessageRecord.COPIED);
                    } catch (RuntimeException e) {
                        corrupt.found(index, rawFrom(in, start), e);
                    }
                } catch (RuntimeException framing) {
                    corrupt.found(lastGood, new byte[0], framing);
                    return;
                }
            }
        }
    }

    /** The record's bytes from {@code start}, whatever was read of it so far. */
    static byte[] rawFrom(Bytes<?> in, long start) {
        in.readPosition(start);
        byte[] raw = new byte[(int) Math.max(0, in.readRemaining())];
        in.read(raw);
        return raw;
    }

    interface EnvelopeVisitor {
        void visit(MessageId id, Envelope envelope, long index, boolean copied);
    }

    /** A record recovery could not use: its index, its bytes, and why. */
    interface CorruptRecord {
        void found(long index, byte[] raw, RuntimeException why);
    }

    /** Chronicle re-reads its directory listing after reclaim deleted cycle files. */
    void filesDeleted() {
        queue.refreshDirectoryListing();
    }

    private ExcerptTailer borrowTailer() {
        ExcerptTailer t = tailers.poll();
        if (t == null) {
            t = queue.createTailer();
            // pooled tailers move between reader threads, one at a time
            t.singleThreadedCheckDisabled(true);
        }
        return t;
    }

    private long lastIndexOnDisk() {
        try {
            return queue.lastIndex();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        running = false; // the writer drains its inbox and stops within one poll (50 ms)
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ExcerptTailer t; (t = tailers.poll()) != null; ) {
            t.close();
        }
        queue.close();
    }
}
