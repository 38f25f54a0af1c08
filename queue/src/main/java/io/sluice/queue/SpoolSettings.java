package io.sluice.queue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a spool is laid out and how safe an accept is.
 *
 * @param directory              holds the {@code messages} and {@code journal} queues
 * @param durability             when {@link Spool#accept} returns (see {@link Durability})
 * @param maxMessageBytes        largest body accepted; the Chronicle block size is derived from it
 * @param minFreeBytes           accepts are refused while the file store has less usable space than this
 * @param rollCycle              a Chronicle roll-cycle name ({@code HOURLY}, {@code FIVE_MINUTELY},
 *                               {@code TEST_SECONDLY}...); at most an hour so disk comes back often
 * @param probe                  write-path observer
 * @param clock                  drives roll cycles and the periodic reclaim (tests move it by hand)
 * @param reclaimInterval        how often the spool checkpoints and reclaims on its own; zero = never
 * @param copyForwardMaxMessages an old cycle with at most this many live messages is copied forward
 *                               and deleted; one with more waits until more of them are final
 * @param maxLiveDeliveries      accepts are refused while this many deliveries are live (each is
 *                               held in memory until its final outcome); zero = no limit
 */
public record SpoolSettings(Path directory, Durability durability, int maxMessageBytes, long minFreeBytes,
                            String rollCycle, SpoolProbe probe, Clock clock, Duration reclaimInterval,
                            int copyForwardMaxMessages, long maxLiveDeliveries) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024;
    public static final long DEFAULT_MIN_FREE_BYTES = 512L * 1024 * 1024;

    public SpoolSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        if (maxMessageBytes <= 0 || maxMessageBytes > 256 * 1024 * 1024) {
            // Chronicle limits a document to a fraction of a block, blocks to < 2 GiB.
            throw new IllegalArgumentException("maxMessageBytes must be in 1..256 MiB, got " + maxMessageBytes);
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes < 0");
        }
        rollCycle = rollCycle == null ? "HOURLY" : rollCycle;
        // fail at configuration time, naming the value
        if (RollCycleNames.resolve(rollCycle).lengthInMillis() > 3_600_000) {
            throw new IllegalArgumentException("rollCycle must roll at least hourly (disk comes back per cycle): "
                    + rollCycle);
        }
        probe = probe == null ? SpoolProbe.NONE : probe;
        clock = clock == null ? Clock.systemUTC() : clock;
        reclaimInterval = reclaimInterval == null ? Duration.ofSeconds(30) : reclaimInterval;
        if (copyForwardMaxMessages < 0) {
            throw new IllegalArgumentException("copyForwardMaxMessages < 0");
        }
        if (maxLiveDeliveries < 0) {
            throw new IllegalArgumentException("maxLiveDeliveries < 0");
        }
    }

    /** The shape the daemon configures; clock, reclaim interval and copy-forward limit take defaults. */
    public SpoolSettings(Path directory, Durability durability, int maxMessageBytes, long minFreeBytes,
                         String rollCycle, SpoolProbe probe) {
        this(directory, durability, maxMessageBytes, minFreeBytes, rollCycle, probe, null, null, 1000, 0);
    }

    public static SpoolSettings defaults(Path dir) {
        return new SpoolSettings(dir, Durability.FSYNC, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MIN_FREE_BYTES,
                "HOURLY", SpoolProbe.NONE);
    }

    public SpoolSettings withDurability(Durability d) {
        return new SpoolSettings(directory, d, maxMessageBytes, minFreeBytes, rollCycle, probe, clock,
                reclaimInterval, copyForwardMaxMessages, maxLiveDeliveries);
    }

    public SpoolSettings withMaxMessageBytes(int max) {
        return new SpoolSettings(directory, durability, max, minFreeBytes, rollCycle, probe, clock,
                reclaimInterval, copyForwardMaxMessages, maxLiveDeliveries);
    }

    public SpoolSettings withMinFreeBytes(long min) {
        return new SpoolSettings(directory, durability, maxMessageBytes, min, rollCycle, probe, clock,
                reclaimInterval, copyForwardMaxMessages, maxLiveDeliveries);
    }

    public SpoolSettings withRollCycle(String name) {
        return new SpoolSettings(directory, durability, maxMessageBytes, minFreeBytes, name, probe, clock,
                reclaimInterval, copyForwardMaxMessages, maxLiveDeliveries);
    }

    public SpoolSettings withProbe(SpoolProbe p) {
        return new SpoolSettings(directory, durability, maxMessageBytes, minFreeBytes, rollCycle, p, clock,
                reclaimInterval, copyForwardMaxMessages, maxLiveDeliveries);
    }

    public SpoolSettings withClock(Clock c) {
        return new SpoolSettings(directory, durability, maxMessageBytes, minFreeBytes, rollCycle, probe, c,
                reclaimInterval, copyForwardMaxMessages, maxLiveDeliveries);
    }

    public SpoolSettings withReclaimInterval(Duration d) {
        return new SpoolSettings(directory, durability, maxMessageBytes, minFreeBytes, rollCycle, probe, clock,
                d, copyForwardMaxMessages, maxLiveDeliveries);
    }

    public SpoolSettings withCopyForwardMaxMessages(int n) {
        return new SpoolSettings(directory, durability, maxMessageBytes, minFreeBytes, rollCycle, probe, clock,
                reclaimInterval, n, maxLiveDeliveries);
    }

    public SpoolSettings withMaxLiveDeliveries(long n) {
        return new SpoolSettings(directory, durability, maxMessageBytes, minFreeBytes, rollCycle, probe, clock,
                reclaimInterval, copyForwardMaxMessages, n);
    }
}
