package io.sluice.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.sluice.queue.SpoolFixtures.body;
import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolTest {
    @TempDir
    Path dir;

    @Test
    void acceptingIsExactlyOneMessagesAppendAndNoJournalWrite() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertEquals(0, SpoolFixtures.documents(dir.resolve("journal"), "HOURLY"));
            MessageId id = spool.accept(envelope("a@x.test", "b@y.test"), body("hello"));
            assertEquals(1, SpoolFixtures.documents(dir.resolve("messages"), "HOURLY"));
            assertEquals(0, SpoolFixtures.documents(dir.resolve("journal"), "HOURLY"));
            StoredMessage m = spool.read(id);
            assertEquals(envelope("a@x.test", "b@y.test"), m.envelope());
            assertArrayEquals(body("hello"), m.body());
            assertEquals(2, spool.status().liveDeliveries());
        }
    }

    @Test
    void acceptAsyncCompletesWithTheIdOfAReadableMessage() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC))) {
            MessageId id = spool.acceptAsync(envelope("a@x.test"), body("async")).get();
            assertArrayEquals(body("async"), spool.read(id).body());
        }
    }

    @Test
    void messageIdsAreSortableUlids() {
        MessageId a = MessageId.next();
        MessageId b = MessageId.next();
        assertEquals(26, a.value().length());
        assertTrue(a.compareTo(b) < 0, a + " < " + b);
        assertTrue(a.value().matches("[0-9A-HJKMNP-TV-Z]{26}"));
    }

    @Test
    void messageLeavesTheSpoolWhenItsLastRecipientIsFinal() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            MessageId id = spool.accept(envelope("a@x.test", "b@y.test"), body("x"));
            spool.record(new DeliveryId(id, 0), new Outcome.Delivered(Instant.now()));
            assertEquals(1, spool.status().liveMessages());
            spool.record(new DeliveryId(id, 1), new Outcome.Bounced(Instant.now(), "550 5.1.1 no such user"));
            assertEquals(0, spool.status().liveMessages());
            assertEquals(0, spool.status().liveDeliveries());
            assertThrows(SpoolException.class, () -> spool.read(id));
        }
    }

    @Test
    void bodyLargerThanMaxMessageBytesIsRefused() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertThrows(SpoolException.class, () -> spool.accept(envelope("a@x.test"), new byte[(1 << 20) + 1]));
        }
    }

    @Test
    void messageOfMaxMessageBytesIsAppendedInOneDocument() throws Exception {
        int max = 8 << 20;
        byte[] big = new byte[max];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC).withMaxMessageBytes(max))) {
            MessageId id = spool.accept(envelope("a@x.test"), big);
            assertArrayEquals(big, spool.read(id).body());
        }
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC).withMaxMessageBytes(max))) {
            assertEquals(1, spool.recovered().size());
            assertArrayEquals(big, spool.read(spool.recovered().get(0).id().message()).body());
        }
    }

    @Test
    void theDaemonDefaultOf50MiBWorks() throws Exception {
        SpoolSettings s = SpoolSettings.defaults(dir).withMinFreeBytes(1 << 20)
                .withReclaimInterval(java.time.Duration.ZERO);
        assertEquals(SpoolSettings.DEFAULT_MAX_MESSAGE_BYTES, s.maxMessageBytes());
        byte[] big = new byte[s.maxMessageBytes()];
        big[big.length - 1] = 42;
        try (Spool spool = Spool.open(s)) {
            MessageId id = spool.accept(envelope("a@x.test"), big);
            byte[] back = spool.read(id).body();
            assertEquals(big.length, back.length);
            assertEquals(42, back[back.length - 1]);
        }
    }

    @Test
    void chronicleAnalyticsAreOff() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertEquals("true", System.getProperty("chronicle.analytics.disable"));
        }
    }

    @Test
    void unknownRollCycleIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(dir, Durability.MMAP).withRollCycle("FORTNIGHTLY"));
        assertTrue(e.getMessage().contains("FORTNIGHTLY"));
        assertThrows(IllegalArgumentException.class, () -> settings(dir, Durability.MMAP).withRollCycle("DAILY"));
    }

    @Test
    void envelopeSurvivesTheCodecExactly() throws Exception {
        Envelope e = new Envelope("s\u00e9nder@x.test", List.of("\u00fc@y.test", "b@z.test"),
                Instant.parse("2030-01-01T00:00:00.000000001Z"),
                java.util.Map.of("campaign", "spring", "k", "v\u2713"));
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            MessageId id = spool.accept(e, "b".getBytes(StandardCharsets.UTF_8));
            assertEquals(e, spool.read(id).envelope());
            assertFalse(spool.status().degraded());
        }
    }
}
