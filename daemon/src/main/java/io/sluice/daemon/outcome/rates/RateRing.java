package io.sluice.daemon.outcome.rates;

import java.time.Instant;

/**
 * The counts of one key as two rings of buckets: 60 one-minute buckets (the 15-minute and 1-hour
 * windows) and 24 one-hour buckets (the 24-hour window). A bucket is reused once its time has
 * passed, so a ring's size never changes: 84 × 11 ints, about 3.7 KB. A window's sum includes the
 * current, partly filled bucket, so "15 minutes" covers between 14 and 15 minutes and "24 hours"
 * between 23 and 24. Thread-safe (one lock per key).
 */
final class RateRing {
    private static final int MINUTES = 60;
    private static final int HOURS = 24;
    private static final int SIGNALS = Signal.values().length;

    private final int[][] minute = new int[MINUTES][SIGNALS];
    private final long[] minuteStamp = new long[MINUTES];
    private final int[][] hour = new int[HOURS][SIGNALS];
    private final long[] hourStamp = new long[HOURS];
    private long lastMinute = Long.MIN_VALUE;
    /** The key as first counted: the one instance every later reference shares. */
    final RateKey key;

    RateRing(RateKey key) {
        this.key = key;
        java.util.Arrays.fill(minuteStamp, Long.MIN_VALUE);
        java.util.Arrays.fill(hourStamp, Long.MIN_VALUE);
    }

    synchronized void add(Signal signal, Instant at) {
        long m = Math.floorDiv(at.getEpochSecond(), 60);
        long h = Math.floorDiv(m, 60);
        bucket(minute, minuteStamp, m, MINUTES)[signal.ordinal()]++;
        bucket(hour, hourStamp, h, HOURS)[signal.ordinal()]++;
        lastMinute = Math.max(lastMinute, m);
    }

    private static int[] bucket(int[][] ring, long[] stamp, long index, int size) {
        int slot = (int) Math.floorMod(index, size);
        if (stamp[slot] != index) {
            stamp[slot] = index;
            java.util.Arrays.fill(ring[slot], 0);
        }
        return ring[slot];
    }

    /**
     * The counts over {@code window} ending at {@code now}, from buckets that start after
     * {@code floor} only (null: no floor): the circuit breaker's way of not counting the same
     * evidence twice.
     */
    synchronized RateCounts sum(RateWindow window, Instant now, Instant floor) {
        long nowMinute = Math.floorDiv(now.getEpochSecond(), 60);
        long[] n = new long[SIGNALS];
        if (window == RateWindow.H24) {
            long nowHour = Math.floorDiv(nowMinute, 60);
            add(n, hour, hourStamp, nowHour - HOURS + 1, nowHour, floorIndex(floor, 3600));
        } else {
            long span = window.length().toMinutes();
            add(n, minute, minuteStamp, nowMinute - span + 1, nowMinute, floorIndex(floor, 60));
        }
        return RateCounts.of(n);
    }

    private static long floorIndex(Instant floor, long seconds) {
        if (floor == null) {
            return Long.MIN_VALUE;
        }
        // the first bucket that starts after it: the floor's own bucket may hold what came before
        return Math.floorDiv(floor.getEpochSecond(), seconds) + 1;
    }

    private static void add(long[] n, int[][] ring, long[] stamp, long from, long to, long floor) {
        for (int slot = 0; slot < ring.length; slot++) {
            long idx = stamp[slot];
            if (idx >= from && idx <= to && idx >= floor) {
                for (int s = 0; s < n.length; s++) {
                    n[s] += ring[slot][s];
                }
            }
        }
    }

    /** True when nothing was counted in the last 24 hours before {@code now}. */
    synchronized boolean idleAt(Instant now) {
        return lastMinute < Math.floorDiv(now.getEpochSecond(), 60) - 24 * 60;
    }
}
