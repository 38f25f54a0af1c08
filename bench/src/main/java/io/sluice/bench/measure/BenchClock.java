package io.sluice.bench.measure;

import java.time.Instant;

/**
 * Wall-clock microseconds since the epoch: the one clock every timestamp in a bench run uses,
 * so a sink in another process (same machine) can subtract the injector's send time.
 */
public final class BenchClock {
    private BenchClock() {
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
