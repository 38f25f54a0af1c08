package io.sluice.daemon.egress;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMinutes(1), 2.0, Duration.ofHours(1), 0.2,
            Duration.ofDays(3));

    @Test
    void delaysGrowExponentiallyUpToTheCap() {
        RandomGenerator noJitter = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0.5; // factor 1.0
            }
        };
        assertEquals(Duration.ofMinutes(1), policy.delayAfter(1, noJitter));
        assertEquals(Duration.ofMinutes(2), policy.delayAfter(2, noJitter));
        assertEquals(Duration.ofMinutes(8), policy.delayAfter(4, noJitter));
        assertEquals(Duration.ofHours(1), policy.delayAfter(20, noJitter));
    }

    @Test
    void jitterStaysWithinItsBand() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            long ms = policy.delayAfter(3, random).toMillis();
            assertTrue(ms >= 4 * 60_000 * 0.8 - 1 && ms <= 4 * 60_000 * 1.2 + 1, "delay " + ms);
        }
    }

    @Test
    void deadlineIsReceivedPlusMaxAge() {
        Instant t = Instant.parse("2026-11-28T10:00:00Z");
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), policy.deadline(t));
    }
}
