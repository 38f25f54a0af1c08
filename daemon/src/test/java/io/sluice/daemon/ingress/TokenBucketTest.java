package io.sluice.daemon.ingress;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-28T08:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void aFullBucketGivesItsCapacityThenRefillsPerMinute() {
        ManualClock clock = new ManualClock();
        TokenBucket bucket = new TokenBucket(3, clock);
        assertTrue(bucket.tryTake(1));
        assertTrue(bucket.tryTake(2));
        assertFalse(bucket.tryTake(1), "spent");
        clock.now = clock.now.plus(Duration.ofSeconds(20)); // a third of a minute: one token back
        assertTrue(bucket.tryTake(1));
        assertFalse(bucket.tryTake(1));
        clock.now = clock.now.plus(Duration.ofHours(1));
        assertTrue(bucket.isFull(), "never more than the capacity");
        assertFalse(bucket.tryTake(4), "more than the capacity never fits");
        assertTrue(bucket.tryTake(3));
    }
}
