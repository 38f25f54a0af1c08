package io.sluice.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.sluice.queue.SpoolFixtures.body;
import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every live delivery is held in memory until its final outcome, so past the configured number
 * the spool refuses new mail (the sender tries later) instead of letting the heap fill while
 * delivery is behind; a final outcome makes room again.
 */
class LiveDeliveriesLimitTest {
    @TempDir
    Path dir;

    @Test
    void pastTheLimitNewMailIsRefusedAndAFinalOutcomeMakesRoom() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC).withMaxLiveDeliveries(3))) {
            MessageId first = spool.accept(envelope("a@x.test", "b@x.test"), body("two"));
            assertFalse(spool.status().degraded());
            spool.accept(envelope("c@x.test"), body("one"));

            SpoolFullException full = assertThrows(SpoolFullException.class,
                    () -> spool.accept(envelope("d@x.test"), body("fourth")));
            assertTrue(full.getMessage().contains("3"), full.getMessage());
            assertTrue(spool.status().degraded(), "health shows that new mail is refused");
            assertEquals(3, spool.status().liveDeliveries());
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> spool.acceptAsync(envelope("e@x.test"), body("api")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(SpoolFullException.class, async.getCause());

            spool.record(new DeliveryId(first, 0), new Outcome.Delivered(Instant.now()));
            assertFalse(spool.status().degraded());
            MessageId later = spool.accept(envelope("d@x.test"), body("fourth"));
            assertEquals("fourth", new String(spool.read(later).body(), java.nio.charset.StandardCharsets.US_ASCII));
            // a message whose recipients would pass the limit is refused whole
            spool.record(new DeliveryId(first, 1), new Outcome.Delivered(Instant.now()));
            assertThrows(SpoolFullException.class, () -> spool.accept(envelope("f@x.test", "g@x.test"), body("two more")));
        }
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            for (int i = 0; i < 200; i++) {
                spool.accept(envelope("r@x.test"), body("m" + i));
            }
            assertEquals(200, spool.status().liveDeliveries());
            assertFalse(spool.status().degraded());
        }
    }
}
