package io.sluice.bench.measure;

import java.util.concurrent.atomic.AtomicLongArray;

/** Events counted per wall-clock second since a start time; up to two hours of seconds. */
public final class PerSecond {
    private static final int MAX_SECONDS = 7200;
    private final AtomicLongArray counts = new AtomicLongArray(MAX_SECONDS);
    private final long startMicros;

    public PerSecond(long startMicros) {
        this.startMicros = startMicros;
    }

    public void add(long atMicros) {
        long s = (atMicros - startMicros) / 1_000_000L;
        if (s >= 0 && s < MAX_SECONDS) {
            counts.incrementAndGet((int) s);
        }
    }

    /** Counts from second 0 up to the last non-empty second. */
    public long[] snapshot() {
        int last = -1;
        for (int i = 0; i < MAX_SECONDS; i++) {
            if (counts.get(i) != 0) {
                last = i;
            }
        }
        long[] out = new long[last + 1];
        for (int i = 0; i <= last; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }

    public long startMicros() {
        return startMicros;
    }
}
