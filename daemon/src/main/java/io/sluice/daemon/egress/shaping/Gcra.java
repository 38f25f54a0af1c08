package io.sluice.daemon.egress.shaping;

/**
 * Generic cell rate algorithm (a token bucket kept as one number, the theoretical arrival time):
 * {@link #tryAcquire} admits an event when it does not run ahead of the rate by more than the
 * burst. Time comes from the caller (an injected clock), so tests drive it. Thread-safe.
 */
public final class Gcra {
    private volatile Rate rate;
    private final int burst;
    private long tat = Long.MIN_VALUE;
    /** The latest time a caller gave us, to rescale what is owed when the rate changes. */
    private long lastNow;

    public Gcra(Rate rate, int burst) {
        this.rate = rate;
        this.burst = Math.max(1, burst);
    }

    public Rate rate() {
        return rate;
    }

    /**
     * Changes the rate from now on (adaptive backoff, reload). What is owed under the old rate is
     * carried over as the same number of events at the new one: after 1/h becomes 100/s, the next
     * event is due in 10 ms, not in the rest of the hour.
     */
    public synchronized void setRate(Rate rate) {
        Rate old = this.rate;
        this.rate = rate;
        if (rate.unlimited() || old.unlimited()) {
            tat = Long.MIN_VALUE;
        } else if (tat != Long.MIN_VALUE && tat > lastNow) {
            double owed = (double) (tat - lastNow) / old.intervalNanos();
            tat = lastNow + (long) (owed * rate.intervalNanos());
        }
    }

    /** Admits one event at {@code nowNanos} if the rate allows, and counts it. */
    public synchronized boolean tryAcquire(long nowNanos) {
        lastNow = nowNanos;
        Rate r = rate;
        if (r.unlimited()) {
            return true;
        }
        long interval = r.intervalNanos();
        // An admission up to one interval late keeps its slot (t = tat, not now): a sender woken a
        // little late does not lose rate for good, so a paced sender reaches its limit; any window
        // still holds at most one more than the rate allows.
        long t = tat == Long.MIN_VALUE || nowNanos - tat >= interval ? nowNanos : Math.max(tat, nowNanos);
        // allowed while the new arrival time stays within burst intervals of now
        if (t - nowNanos > (long) (burst - 1) * interval) {
            return false;
        }
        tat = t + interval;
        return true;
    }

    /**
     * Returns the last admitted event's slot (it was not used after all: another limit said no),
     * so the next caller may take it. Never admits more than the rate: it only undoes a count.
     */
    public synchronized void giveBack() {
        Rate r = rate;
        if (!r.unlimited() && tat != Long.MIN_VALUE) {
            tat -= r.intervalNanos();
        }
    }

    /** Nanoseconds from {@code nowNanos} until an event would be admitted (0 if now). */
    public synchronized long waitNanos(long nowNanos) {
        lastNow = nowNanos;
        Rate r = rate;
        if (r.unlimited() || tat == Long.MIN_VALUE) {
            return 0;
        }
        return Math.max(0, tat - nowNanos - (long) (burst - 1) * r.intervalNanos());
    }
}
