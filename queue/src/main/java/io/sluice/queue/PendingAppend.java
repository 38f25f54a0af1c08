package io.sluice.queue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * One request waiting to be written: either a new message (envelope + body) or a raw
 * record copied forward by reclaim ({@code raw != null}). Completed with the Chronicle index.
 */
final class PendingAppend {
    private static final int QUEUED = 0;
    private static final int WRITING = 1;
    private static final int WRITTEN = 2;
    private static final int CANCELLED = 3;
    private static final AtomicIntegerFieldUpdater<PendingAppend> STATE =
            AtomicIntegerFieldUpdater.newUpdater(PendingAppend.class, "state");

    final MessageId id;
    final Envelope envelope;
    final MessagePieces body;
    final byte[] raw;
    final long reservedBytes;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    long index = -1;
    Throwable failure;
    /* Whether the writer reads the body now: the body's arrays are the caller's (see cancelOrAwaitWrite). */
    private volatile int state = QUEUED;

    private PendingAppend(MessageId id, Envelope envelope, MessagePieces body, byte[] raw, long reservedBytes) {
        this.id = id;
        this.envelope = envelope;
        this.body = body;
        this.raw = raw;
        this.reservedBytes = reservedBytes;
    }

    static PendingAppend message(MessageId id, Envelope envelope, MessagePieces body, long reservedBytes) {
        return new PendingAppend(id, envelope, body, null, reservedBytes);
    }

    static PendingAppend copy(MessageId id, byte[] raw, long reservedBytes) {
        return new PendingAppend(id, null, null, raw, reservedBytes);
    }

    boolean isCopy() {
        return raw != null;
    }

    /** The writing thread: true when the append may go ahead, false when its waiter gave up first. */
    boolean startWrite() {
        return STATE.compareAndSet(this, QUEUED, WRITING);
    }

    /** The writing thread: the record is written (or failed); the body is not read again. */
    void written() {
        state = WRITTEN;
    }

    /**
     * The waiter gives up (interrupted): either the writer has not started, and now never will, or
     * this waits until it has finished reading the body. After this returns the writer never
     * touches the body again, so the caller may reuse its arrays. The wait is for one record's
     * copy into the mapped file, not for a sync.
     */
    void cancelOrAwaitWrite() {
        if (STATE.compareAndSet(this, QUEUED, CANCELLED)) {
            return;
        }
        while (state == WRITING) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }
}
