package io.sluice.bench.inject;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out message numbers and the time each one is due: a fixed count or until a duration has
 * passed, at a target rate (the n-th message is due at start + n/rate) or as fast as possible.
 * Thread-safe; connections pull from one plan.
 */
public final class InjectPlan {
    private final long count;
    private final long durationNanos;
    private final double rate;
    private final AtomicLong next = new AtomicLong();
    private volatile long startNanos;

    /**
     * @param count messages to send, or 0 for "until the duration"
     * @param durationNanos how long to send, or 0 for "until the count"
     * @param rate messages per second, or 0 for as fast as possible
     */
    public InjectPlan(long count, long durationNanos, double rate) {
        if (count < 0 || durationNanos < 0 || rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("count, duration and rate must not be negative");
        }
        if (count == 0 && durationNanos == 0) {
            throw new IllegalArgumentException("give a message count or a duration");
        }
        this.count = count;
        this.durationNanos = durationNanos;
        this.rate = rate;
    }

    public void start(long nowNanos) {
        startNanos = nowNanos;
    }

    public long startNanos() {
        return startNanos;
    }

    /** Sequence and due time of the next message, or null when the plan is done. */
    public Slot next(long nowNanos) {
        if (durationNanos > 0 && nowNanos - startNanos >= durationNanos) {
            return null;
        }
        long n = next.getAndIncrement();
        if (count > 0 && n >= count) {
            return null;
        }
        long due = rate > 0 ? startNanos + (long) (n * 1e9 / rate) : nowNanos;
        if (durationNanos > 0 && due - startNanos >= durationNanos) {
            return null;
        }
        return new Slot(n, due);
    }

    /** Expected total, for the ETA: the count, or rate × duration, or -1 when unknown. */
    public long expected() {
        if (count > 0) {
            return count;
        }
        return rate > 0 ? (long) (rate * durationNanos / 1e9) : -1;
    }

    public long durationNanos() {
        return durationNanos;
    }

    public record Slot(long sequence, long dueNanos) {
    }
}
