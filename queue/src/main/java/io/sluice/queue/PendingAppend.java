package io.sluice.queue;

import java.util.concurrent.CompletableFuture;

/**
 * One request waiting for the writer thread: either a new message (envelope + body) or a raw
 * record copied forward by reclaim ({@code raw != null}). Completed with the Chronicle index.
 */
final class PendingAppend {
    final MessageId id;
    final Envelope envelope;
    final byte[] body;
    final byte[] raw;
    final long reservedBytes;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    long index = -1;
    Throwable failure;

    private PendingAppend(MessageId id, Envelope envelope, byte[] body, byte[] raw, long reservedBytes) {
        this.id = id;
        this.envelope = envelope;
        this.body = body;
        this.raw = raw;
        this.reservedBytes = reservedBytes;
    }

    static PendingAppend message(MessageId id, Envelope envelope, byte[] body, long reservedBytes) {
        return new PendingAppend(id, envelope, body, null, reservedBytes);
    }

    static PendingAppend copy(MessageId id, byte[] raw, long reservedBytes) {
        return new PendingAppend(id, null, null, raw, reservedBytes);
    }

    boolean isCopy() {
        return raw != null;
    }
}
