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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The {@code messages} queue: one document per accepted message (see {@link MessageRecord}).
 * One appender, used by one thread at a time under the write lock: whoever holds it drains
 * whatever has queued up, appends it, hands the batch to the {@link CommitStrategy}, and goes on
 * until nothing is queued. Reads use a small pool of tailers, so any thread may read.
 *
 * <p>A caller that waits for its own append anyway ({@link #submitAndLead}: an SMTP session
 * before its 250) takes the lock itself when it is free and writes and syncs its batch on its own
 * thread; when the lock is taken it only queues, and the holder, which looks at the queue again
 * after each unlock, takes its append with the next batch. So at a moderate rate a message is
 * made durable without handing it to another thread and being woken back (two system calls and
 * two context switches on the path to the 250), and at full load group commit works as before.
 * Callers that must not block (the HTTP API's futures, reclaim's copies) hand their appends to
 * the writer thread, which also picks up anything queued if a holder ever left some behind.
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
    /* Appends of callers that lead: bounded by the number of threads, each waits for its own. */
    private final ConcurrentLinkedQueue<PendingAppend> leaderInbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedDeque<ExcerptTailer> tailers = new ConcurrentLinkedDeque<>();
    /* Held while appending and committing a batch; guards the appender, the commit and the batch. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<PendingAppend> batch = new ArrayList<>(MAX_BATCH);
    private final ExcerptAppender appender;
    private boolean appenderClosed;
    private final Thread writer;
    private volatile boolean running = true;
    private volatile long lastAppendedIndex;

    /**
     * @param onAppended called by the writing thread after each successful append, before the
     *                   commit releases the waiter (the spool puts the message in its live table)
     */
    MessageLog(Path dir, Durability durability, int maxMessageBytes, RollCycle rollCycle, Clock clock,
               SpoolProbe probe, DiskGuard disk, Consumer<PendingAppend> onAppended) {
        this.queue = SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(rollCycle)
                .blockSize(blockSizeFor(maxMessageBytes))
                .timeProvider(clock::millis)
                // an interrupted caller holding the write lock must still finish the batch it began
                .checkInterrupts(false)
                .build();
        this.files = new CycleFiles(dir, rollCycle);
        this.probe = probe;
        this.disk = disk;
        this.onAppended = onAppended;
        this.commit = durability == Durability.FSYNC ? new GroupCommit(probe, files) : new MmapCommit(probe);
        this.lastAppendedIndex = lastIndexOnDisk();
        this.appender = queue.createAppender();
        // used by one thread at a time, under writeLock, whose hand-over orders its state
        this.appender.singleThreadedCheckDisabled(true);
        if (commit instanceof GroupCommit g) {
            g.bind(appender);
        }
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

    /** Hands a request to the writer thread; blocks only while its inbox is full (backpressure). */
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
        LockSupport.unpark(writer);
    }

    /**
     * Queues a request whose caller then waits for it, and writes it (with whatever else is
     * queued) on this thread when no one else is writing; otherwise the holder of the write lock
     * sees to it. Returns with {@code p.done} complete when this thread wrote it, else pending.
     */
    void submitAndLead(PendingAppend p) throws SpoolException {
        if (!running) {
            disk.release(p.reservedBytes);
            throw new SpoolException("spool is closed");
        }
        leaderInbox.add(p);
        // An interrupt must not cut short a batch that other callers wait for; it is kept for the
        // caller, which meets it when it waits for its append (complete by then, or not).
        boolean interrupted = Thread.interrupted();
        try {
            while (!p.done.isDone() && writeLock.tryLock()) {
                try {
                    writeBatch();
                } finally {
                    writeLock.unlock();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        // What queued up meanwhile is the writer thread's: this caller goes back to its client.
        // Every holder looks at the queues after its unlock, and a caller queues before it tries
        // the lock: one of the two sees the other, so nothing waits with nobody to write it.
        if (queued()) {
            LockSupport.unpark(writer);
        }
    }

    private boolean queued() {
        return !leaderInbox.isEmpty() || !inbox.isEmpty();
    }

    /* Under writeLock: drains what is queued (up to MAX_BATCH), appends and commits it. */
    private void writeBatch() {
        for (PendingAppend p; batch.size() < MAX_BATCH && (p = leaderInbox.poll()) != null; ) {
            batch.add(p);
        }
        inbox.drainTo(batch, MAX_BATCH - batch.size());
        if (batch.isEmpty()) {
            return;
        }
        int reached = 0;
        try {
            if (appenderClosed) {
                throw new SpoolException("spool is closed");
            }
            for (PendingAppend p : batch) {
                reached++;
                append(appender, p);
                commit.appended(p);
            }
            commit.endOfBatch();
        } catch (Throwable t) {
            LOG.error("spool writer failed a batch", t);
            for (int i = 0; i < batch.size(); i++) {
                PendingAppend p = batch.get(i);
                if (i >= reached) {
                    disk.release(p.reservedBytes); // append() releases what it was given
                }
                p.done.completeExceptionally(new SpoolException("spool writer failed", t));
            }
        } finally {
            batch.clear();
        }
    }

    private void writeLoop() {
        while (running || queued()) {
            try {
                while (queued() && writeLock.tryLock()) {
                    try {
                        writeBatch();
                    } finally {
                        writeLock.unlock();
                    }
                }
                // when the lock is taken, its holder wakes this thread if it leaves work behind
                if (!queued() || writeLock.isLocked()) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
                }
                if (Thread.interrupted()) {
                    break;
                }
            } catch (Throwable t) {
                LOG.error("spool writer failed", t);
            }
        }
        writeLock.lock();
        try {
            appenderClosed = true;
            appender.close();
        } finally {
            writeLock.unlock();
        }
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
        running = false; // the writer drains the queues and stops
        LockSupport.unpark(writer);
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
