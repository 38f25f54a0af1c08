package io.sluice.daemon.engagement.history;

import io.sluice.daemon.TestClock;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.EngagementSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngagementStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private final TestClock clock = new TestClock(T0);
    @TempDir
    Path spool;

    private EngagementStore open(EngagementSettings s) {
        return new EngagementStore(spool, s, clock, null);
    }

    private EngagementStore open() {
        return open(EngagementSettings.defaults());
    }

    private static TrackedDelivery delivery(String id, int index, String tenant, String address, Instant at) {
        return new TrackedDelivery(id, index, tenant, "spring", address, at);
    }

    @Test
    void aHumanOpenAndClickAreKeptForTheRecipientOfTheDelivery() {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "Bob@Example.com", T0));
            clock.advance(Duration.ofMinutes(5));
            RecipientEngagement afterOpen = store.hit("m1", 0, false, true, clock.instant()).orElseThrow();
            assertEquals(new RecipientEngagement("acme", "bob@example.com", T0.plusSeconds(300), null), afterOpen);
            clock.advance(Duration.ofMinutes(1));
            store.hit("m1", 0, true, true, clock.instant());
            RecipientEngagement e = store.lookup("acme", "BOB@example.com").orElseThrow();
            assertEquals(T0.plusSeconds(300), e.lastOpen());
            assertEquals(T0.plusSeconds(360), e.lastClick());
            assertEquals(T0.plusSeconds(360), e.lastActivity());
            assertTrue(store.lookup("other", "bob@example.com").isEmpty(), "per tenant");
        }
    }

    @Test
    void machineTrafficNamesTheRecipientButMovesNothing() {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "bob@example.com", T0));
            RecipientEngagement e = store.hit("m1", 0, false, false, T0.plusSeconds(1)).orElseThrow();
            assertEquals("bob@example.com", e.recipient());
            assertNull(e.lastOpen());
            assertTrue(store.lookup("acme", "bob@example.com").isEmpty());
            assertEquals(0, store.recipients());
        }
    }

    @Test
    void aHitOfAnUnknownDeliveryIsNotTiedToAnyone() {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "bob@example.com", T0));
            assertTrue(store.hit("m1", 1, false, true, T0).isEmpty());
            assertTrue(store.hit("m2", 0, true, true, T0).isEmpty());
            assertEquals(0, store.recipients());
        }
    }

    @Test
    void anOlderHitDoesNotMoveTheLastOpenBack() {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, null, "bob@example.com", T0));
            store.hit("m1", 0, false, true, T0.plusSeconds(100));
            store.hit("m1", 0, false, true, T0.plusSeconds(50));
            assertEquals(T0.plusSeconds(100), store.lookup("default", "bob@example.com").orElseThrow().lastOpen());
        }
    }

    @Test
    void engagementAndDeliveriesSurviveARestart() {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "bob@example.com", T0));
            store.delivered(delivery("m1", 1, "acme", "carol@example.com", T0));
            store.hit("m1", 0, true, true, T0.plusSeconds(60));
        }
        try (EngagementStore store = open()) {
            assertEquals(T0.plusSeconds(60), store.lookup("acme", "bob@example.com").orElseThrow().lastClick());
            assertEquals(2, store.deliveries());
            store.hit("m1", 1, false, true, T0.plusSeconds(120));
        }
        try (EngagementStore store = open()) {
            assertEquals(T0.plusSeconds(120), store.lookup("acme", "carol@example.com").orElseThrow().lastOpen());
        }
    }

    @Test
    void aTornLastLineIsSkippedAtStart() throws Exception {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "bob@example.com", T0));
            store.hit("m1", 0, false, true, T0);
        }
        Files.writeString(spool.resolve(EngagementStore.FILE), "r\t17", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        try (EngagementStore store = open()) {
            assertTrue(store.lookup("acme", "bob@example.com").isPresent());
        }
    }

    @Test
    void aLineWithBytesThatAreNoUtf8IsSkippedInsteadOfStoppingTheStart() throws Exception {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "bob@example.com", T0));
            store.hit("m1", 0, false, true, T0);
        }
        // a damaged sector or a foreign write: 0xC3 0x28 is no UTF-8 sequence
        Files.write(spool.resolve(EngagementStore.FILE), new byte[] {'r', '\t', (byte) 0xC3, 0x28, '\n'},
                java.nio.file.StandardOpenOption.APPEND);
        try (EngagementStore store = open()) {
            assertTrue(store.lookup("acme", "bob@example.com").isPresent());
        }
    }

    @Test
    void whatIsOlderThanTheRetentionIsNeitherShownNorKept() throws Exception {
        EngagementSettings s = new EngagementSettings(Duration.ofDays(400), 1000, 1000);
        try (EngagementStore store = open(s)) {
            store.delivered(delivery("m1", 0, "acme", "old@example.com", T0));
            store.hit("m1", 0, false, true, T0);
            clock.advance(Duration.ofDays(300));
            store.delivered(delivery("m2", 0, "acme", "new@example.com", clock.instant()));
            store.hit("m2", 0, true, true, clock.instant());
            store.hit("m1", 0, true, true, clock.instant()); // old clicks again: its click is recent, its open old

            clock.advance(Duration.ofDays(101)); // T0 + 401 days: the first open and m1's delivery are too old
            RecipientEngagement old = store.lookup("acme", "old@example.com").orElseThrow();
            assertNull(old.lastOpen(), "the open of 401 days ago is forgotten");
            assertEquals(T0.plus(Duration.ofDays(300)), old.lastClick());
            assertTrue(store.hit("m1", 0, false, true, clock.instant()).isEmpty(), "m1's address is forgotten");

            clock.advance(Duration.ofDays(300)); // everything is older than 400 days now
            assertTrue(store.lookup("acme", "new@example.com").isEmpty());
            assertTrue(store.list("acme", null, null, null, 100).entries().isEmpty());
            store.sweep();
            assertEquals(0, store.recipients());
            assertEquals(0, store.deliveries());
            String file = Files.readString(spool.resolve(EngagementStore.FILE));
            assertFalse(file.contains("example.com"), "no address left on disk: " + file);
        }
    }

    @Test
    void expiredEntriesAreDroppedWhenTheStoreOpens() {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "bob@example.com", T0));
            store.hit("m1", 0, false, true, T0);
        }
        clock.advance(Duration.ofDays(401));
        try (EngagementStore store = open()) {
            assertEquals(0, store.recipients());
            assertEquals(0, store.deliveries());
        }
    }

    @Test
    void theRetentionMustBePositive() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> open(new EngagementSettings(Duration.ZERO, 10, 10)));
        assertEquals("sluice.engagement.retention", e.key());
    }

    @Test
    void pastTheCapTheRecipientsEngagedLongestAgoGoFirst() {
        try (EngagementStore store = open(new EngagementSettings(Duration.ofDays(400), 100, 1000))) {
            for (int i = 0; i < 150; i++) {
                store.delivered(delivery("m", i, "acme", "r" + i + "@example.com", T0));
                store.hit("m", i, false, true, T0.plusSeconds(i));
            }
            assertTrue(store.recipients() <= 100, "bounded: " + store.recipients());
            assertTrue(store.lookup("acme", "r149@example.com").isPresent());
            assertTrue(store.lookup("acme", "r0@example.com").isEmpty());
        }
        try (EngagementStore store = open(new EngagementSettings(Duration.ofDays(400), 10, 20))) {
            assertTrue(store.recipients() <= 10, "a smaller cap applies at start: " + store.recipients());
            assertEquals(20, store.deliveries());
        }
    }

    @Test
    void aListingPagesThroughOneTenantInAddressOrderWithinTheBounds() {
        try (EngagementStore store = open()) {
            for (int i = 0; i < 10; i++) {
                store.delivered(delivery("m", i, "acme", "r" + i + "@example.com", T0));
                store.hit("m", i, false, true, T0.plus(Duration.ofDays(i)));
            }
            store.delivered(delivery("x", 0, "other", "r5@example.com", T0));
            store.hit("x", 0, false, true, T0);
            clock.advance(Duration.ofDays(20));

            EngagementStore.Page first = store.list("acme", null, null, null, 4);
            assertEquals(List.of("r0@example.com", "r1@example.com", "r2@example.com", "r3@example.com"),
                    first.entries().stream().map(RecipientEngagement::recipient).toList());
            EngagementStore.Page second = store.list("acme", null, null, first.next(), 4);
            EngagementStore.Page third = store.list("acme", null, null, second.next(), 4);
            assertEquals(List.of("r8@example.com", "r9@example.com"),
                    third.entries().stream().map(RecipientEngagement::recipient).toList());
            assertNull(third.next());

            // inactive since day 7: the sunset candidates
            EngagementStore.Page stale = store.list("acme", null, T0.plus(Duration.ofDays(7)), null, 100);
            assertEquals(7, stale.entries().size());
            EngagementStore.Page active = store.list("acme", T0.plus(Duration.ofDays(7)), null, null, 100);
            assertEquals(List.of("r7@example.com", "r8@example.com", "r9@example.com"),
                    active.entries().stream().map(RecipientEngagement::recipient).toList());
            assertEquals(Optional.of("other"), store.list("other", null, null, null, 10).entries().stream()
                    .map(RecipientEngagement::tenant).findFirst());
        }
    }

    /** Waits (at most 10 s) for the writer thread to make the file satisfy {@code ok}. */
    private String awaitFile(java.util.function.Predicate<String> ok) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text = "";
        while (System.nanoTime() < end) {
            text = Files.readString(spool.resolve(EngagementStore.FILE));
            if (ok.test(text)) {
                return text;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the file never got there: " + text.length() + " chars");
    }

    @Test
    void theWriterThreadWritesWithoutWaitingForAClose() throws Exception {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "bob@example.com", T0));
            store.hit("m1", 0, true, true, T0.plusSeconds(5));
            String file = awaitFile(t -> t.contains("r\t\t" + T0.plusSeconds(5)));
            assertTrue(file.contains("bob@example.com"), file);
        }
    }

    @Test
    void theFileIsCompactedWhenItHasGrownPastWhatItHolds() throws Exception {
        try (EngagementStore store = open()) {
            store.delivered(delivery("m1", 0, "acme", "bob@example.com", T0));
            for (int i = 0; i < 25_000; i++) {
                store.hit("m1", 0, i % 2 == 0, true, T0.plusSeconds(i));
            }
            awaitFile(t -> t.lines().count() == 2); // one delivery, one recipient
        }
        try (EngagementStore store = open()) {
            RecipientEngagement e = store.lookup("acme", "bob@example.com").orElseThrow();
            assertEquals(T0.plusSeconds(24_999), e.lastOpen());
            assertEquals(T0.plusSeconds(24_998), e.lastClick());
        }
    }
}
