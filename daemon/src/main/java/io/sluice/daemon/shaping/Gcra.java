package io.sluice.daemon.shaping;

/**
 * Generic cell rate algorithm (a token bucket kept as one number, the theoretical arrival time):
 * {@link #tryAcquire} admits an event when it does not run ahead of the rate by more than the
 * burst. Time comes from the caller (an injected clock), so tests drive it. Thread-safe.
 */
public final class Gcra {
    private volatile Rate rate;
    private final int burst;
    private long tat = Long.MIN_VALUE;

    public Gcra(Rate rate, int burst) {
        this.rate = rate;
        this.burst = Math.max(1, burst);
    }

    public Rate rate() {
        return rate;
    }

    /** Changes the rate from now on (adaptive backoff, reload). */
    public void setRate(Rate rate) {
        this.rate = rate;
    }

    /** Admits one event at {@code nowNanos} if the rate allows, and counts it. */
    public synchronized boolean tryAcquire(long nowNanos) {
        Rate r = rate;
        if (r.unlimited()) {
            return true;
        }
        long interval = r.intervalNanos();
        long t = tat == Long.MIN_VALUE ? nowNanos : Math.max(tat, nowNanos);
        // allowed while the new arrival time stays within burst intervals of now
        if (t - nowNanos > (long) (burst - 1) * interval) {
            return false;
        }
        tat = t + interval;
        return true;
    }

    /** Nanoseconds from {@code nowNanos} until an event would be admitted (0 if now). */
    public synchronized long waitNanos(long nowNanos) {
        Rate r = rate;
        if (r.unlimited() || tat == Long.MIN_VALUE) {
            return 0;
        }
        return Math.max(0, tat - nowNanos - (long) (burst - 1) * r.intervalNanos());
    }
}
