package io.sluice.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.sluice.queue.SpoolFixtures.body;
import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RecoveryTest {
    @TempDir
    Path dir;

    private static final Instant T = Instant.parse("2025-06-01T10:00:00Z");

    /** Accepts three messages, journals a mix of outcomes around a checkpoint; returns the ids. */
    private MessageId[] workload(Spool spool) throws SpoolException {
        MessageId a = spool.accept(envelope("a1@x.test", "a2@x.test"), body("A"));
        MessageId b = spool.accept(envelope("b1@y.test"), body("B"));
        spool.record(new DeliveryId(a, 0), new Outcome.Delivered(T));
        spool.record(new DeliveryId(b, 0), new Outcome.Deferred(T, 1, T.plusSeconds(60), "421 try later"));
        spool.reclaim(); // writes a checkpoint: what follows is only in the journal tail
        MessageId c = spool.accept(envelope("c1@z.test", "c2@z.test", "c3@z.test"), body("C"));
        spool.record(new DeliveryId(b, 0), new Outcome.Deferred(T, 2, T.plusSeconds(600), "451 greylisted"));
        spool.record(new DeliveryId(c, 1), new Outcome.Expired(T));
        spool.record(new DeliveryId(c, 2), new Outcome.Deferred(T, 1, T.plusSeconds(30), "421"));
        return new MessageId[] {a, b, c};
    }

    private void assertRecovered(Spool spool, MessageId[] ids) throws SpoolException {
        MessageId a = ids[0], b = ids[1], c = ids[2];
        List<LiveDelivery> live = spool.recovered();
        Set<DeliveryId> liveIds = live.stream().map(LiveDelivery::id).collect(Collectors.toSet());
        assertEquals(Set.of(new DeliveryId(a, 1), new DeliveryId(b, 0), new DeliveryId(c, 0), new DeliveryId(c, 2)),
                liveIds);
        LiveDelivery b0 = live.stream().filter(d -> d.id().equals(new DeliveryId(b, 0))).findFirst().orElseThrow();
        assertEquals(2, b0.attempts());
        assertEquals(T.plusSeconds(600), b0.nextAttemptAt());
        assertEquals("b1@y.test", b0.recipient());
        assertEquals("acme", b0.attributes().get("tenant"));
        LiveDelivery c2 = live.stream().filter(d -> d.id().equals(new DeliveryId(c, 2))).findFirst().orElseThrow();
        assertEquals(1, c2.attempts());
        assertEquals("c3@z.test", c2.recipient());
        LiveDelivery a1 = live.stream().filter(d -> d.id().equals(new DeliveryId(a, 1))).findFirst().orElseThrow();
        assertEquals(0, a1.attempts());
        assertNull(a1.nextAttemptAt());
        assertArrayEquals(body("C"), spool.read(c).body());
        assertEquals(4, spool.status().liveDeliveries());
    }

    @Test
    void recoveryAfterCleanCloseRebuildsExactlyTheLiveDeliveries() throws Exception {
        MessageId[] ids;
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            ids = workload(spool);
        }
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertRecovered(spool, ids);
        }
    }

    @Test
    void recoveryAfterAnAbandonedInstanceRebuildsExactlyTheLiveDeliveries() throws Exception {
        // The first instance is never closed: no final checkpoint, no orderly shutdown -- what a
        // killed process leaves behind in the mapped files.
        Spool abandoned = Spool.open(settings(dir, Durability.MMAP));
        MessageId[] ids = workload(abandoned);
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertRecovered(spool, ids);
        }
    }

    @Test
    void recoveryWithoutAnyCheckpointReadsAllEnvelopes() throws Exception {
        Spool abandoned = Spool.open(settings(dir, Durability.FSYNC));
        MessageId a = abandoned.accept(envelope("a1@x.test", "a2@x.test"), body("A"));
        abandoned.record(new DeliveryId(a, 1), new Outcome.Removed(T, "admin"));
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC))) {
            assertEquals(List.of(new DeliveryId(a, 0)), spool.recovered().stream().map(LiveDelivery::id).toList());
        }
    }

    @Test
    void recoveryAfterAnotherRestartKeepsTheSameState() throws Exception {
        MessageId[] ids;
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            ids = workload(spool);
        }
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            spool.reclaim();
        }
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertRecovered(spool, ids);
        }
    }
}
