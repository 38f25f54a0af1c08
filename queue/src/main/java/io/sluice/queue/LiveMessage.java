package io.sluice.queue;

import java.time.Instant;
import java.util.List;

/**
 * In-memory state of one message that still has live deliveries: where its record is in the
 * {@code messages} queue and, per recipient, whether it is final and its retry state.
 * Guarded by its own monitor; the spool keeps one per live message.
 */
final class LiveMessage {
    final MessageId id;
    final Envelope envelope;
    private long index;
    private final boolean[] done;
    private final int[] attempts;
    private final Instant[] nextAttempt;
    private int remaining;

    LiveMessage(MessageId id, Envelope envelope, long index) {
        this.id = id;
        this.envelope = envelope;
        this.index = index;
        int n = envelope.recipients().size();
        this.done = new boolean[n];
        this.attempts = new int[n];
        this.nextAttempt = new Instant[n];
        this.remaining = n;
    }

    synchronized long index() {
        return index;
    }

    synchronized void moveTo(long newIndex) {
        index = newIndex;
    }

    synchronized int remaining() {
        return remaining;
    }

    int recipients() {
        return done.length;
    }

    /** Applies an outcome; returns true when this made the whole message final. */
    synchronized boolean apply(int recipient, Outcome outcome) {
        if (recipient >= done.length) {
            throw new IllegalArgumentException("message " + id + " has " + done.length
                    + " recipients, got index " + recipient);
        }
        if (done[recipient]) {
            return false; // a final outcome is final: later records for it change nothing
        }
        if (outcome instanceof Outcome.Deferred d) {
            attempts[recipient] = d.attempts();
            nextAttempt[recipient] = d.nextAttempt();
            return false;
        }
        done[recipient] = true;
        return --remaining == 0;
    }

    /** Restores one recipient's state from a checkpoint. */
    synchronized void restore(int recipient, boolean isDone, int attemptsSoFar, Instant next) {
        if (isDone && !done[recipient]) {
            done[recipient] = true;
            remaining--;
        }
        attempts[recipient] = attemptsSoFar;
        nextAttempt[recipient] = next;
    }

    synchronized boolean isDone(int recipient) {
        return done[recipient];
    }

    synchronized int attempts(int recipient) {
        return attempts[recipient];
    }

    synchronized Instant nextAttempt(int recipient) {
        return nextAttempt[recipient];
    }

    synchronized void addLiveDeliveries(List<LiveDelivery> out) {
        for (int r = 0; r < done.length; r++) {
            if (!done[r]) {
                out.add(new LiveDelivery(new DeliveryId(id, r), envelope.sender(), envelope.recipients().get(r),
                        envelope.receivedAt(), attempts[r], nextAttempt[r], envelope.attributes()));
            }
        }
    }
}
