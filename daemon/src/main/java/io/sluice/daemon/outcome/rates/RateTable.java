package io.sluice.daemon.outcome.rates;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rings by key, at most {@code maxKeys} of them. Past the cap, keys idle for 24 hours are dropped
 * first; if none is, the new key's counts go to its provider's {@code other} key (counted in
 * {@link #overflowed()}), which is kept whatever the cap: there are only as many as providers.
 * Thread-safe.
 */
final class RateTable {
    private final int maxKeys;
    private final Map<RateKey, RateRing> rings = new ConcurrentHashMap<>();
    private final AtomicLong overflowed = new AtomicLong();
    private volatile long lastSweep = Long.MIN_VALUE;

    RateTable(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /**
     * Counts one signal; returns the key it was counted under (the overflow key past the cap), as
     * the instance the table keeps, so callers that remember keys share it.
     */
    RateKey add(RateKey key, Signal signal, Instant at) {
        RateRing ring = rings.get(key);
        if (ring == null) {
            RateKey counted = key;
            if (rings.size() >= maxKeys) {
                sweep(at);
            }
            if (rings.size() >= maxKeys && !isOverflow(key)) {
                overflowed.incrementAndGet();
                counted = key.overflow();
            }
            ring = rings.computeIfAbsent(counted, RateRing::new);
        }
        ring.add(signal, at);
        return ring.key;
    }

    private static boolean isOverflow(RateKey key) {
        return key.equals(key.overflow());
    }

    /* Drops idle keys, at most once a minute (a full table of busy keys is not swept on every event). */
    private void sweep(Instant now) {
        long minute = now.getEpochSecond() / 60;
        if (minute == lastSweep) {
            return;
        }
        lastSweep = minute;
        rings.entrySet().removeIf(e -> e.getValue().idleAt(now));
    }

    RateCounts sum(RateKey key, RateWindow window, Instant now, Instant floor) {
        RateRing ring = rings.get(key);
        return ring == null ? RateCounts.ZERO : ring.sum(window, now, floor);
    }

    Iterable<RateKey> keys() {
        return rings.keySet();
    }

    int size() {
        return rings.size();
    }

    /** Signals counted under an overflow key because the table was full. */
    long overflowed() {
        return overflowed.get();
    }
}
