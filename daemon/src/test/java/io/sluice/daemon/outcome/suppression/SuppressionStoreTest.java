package io.sluice.daemon.outcome.suppression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuppressionStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");

    @Test
    void addressSuppressedForItsTenantOnlyAndCaseInsensitively(@TempDir Path dir) {
        try (SuppressionStore s = SuppressionStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC), 16, null)) {
            s.add("acme", "Bob@Example.COM", SuppressionReason.HARD_BOUNCE, "bounce", "550 5.1.1", null);
            assertTrue(s.isSuppressed("acme", "bob@example.com"));
            assertTrue(s.isSuppressed("acme", "BOB@example.com"));
            assertFalse(s.isSuppressed("other", "bob@example.com"));
            assertFalse(s.isSuppressed(null, "bob@example.com"));
            assertEquals(SuppressionReason.HARD_BOUNCE, s.lookup("acme", "bob@example.com").orElseThrow().reason());
        }
    }

    @Test
    void domainAndGlobalEntriesCoverEveryAddress(@TempDir Path dir) {
        try (SuppressionStore s = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            s.add("acme", "@blocked.test", SuppressionReason.MANUAL, "admin", null, null);
            s.add(SuppressionStore.GLOBAL, "spamtrap@anywhere.test", SuppressionReason.MANUAL, "admin", null, null);
            assertTrue(s.isSuppressed("acme", "anyone@blocked.test"));
            assertFalse(s.isSuppressed("default", "anyone@blocked.test"));
            assertTrue(s.isSuppressed("default", "spamtrap@anywhere.test"));
            assertTrue(s.isSuppressed("acme", "spamtrap@anywhere.test"));
        }
    }

    @Test
    void expiredEntriesNoLongerSuppress(@TempDir Path dir) {
        MutableClock clock = new MutableClock(T0);
        try (SuppressionStore s = SuppressionStore.open(dir, clock, 16, null)) {
            s.add("default", "soft@example.test", SuppressionReason.REPEATED_SOFT_BOUNCE, "hygiene", null,
                    T0.plus(Duration.ofDays(30)));
            assertTrue(s.isSuppressed("default", "soft@example.test"));
            clock.now = T0.plus(Duration.ofDays(31));
            assertFalse(s.isSuppressed("default", "soft@example.test"));
        }
    }

    @Test
    void historySurvivesRestartAndShowsWhoAndWhy(@TempDir Path dir) {
        List<SuppressionChange> seen = new ArrayList<>();
        try (SuppressionStore s = SuppressionStore.open(dir, Clock.systemUTC(), 16, seen::add)) {
            s.add("default", "ann@example.test", SuppressionReason.COMPLAINT, "feedback", "abuse", null);
            assertTrue(s.add("default", "ann@example.test", SuppressionReason.HARD_BOUNCE, "bounce", "again", null).isEmpty(),
                    "an entry in force is not added twice");
            s.remove("default", "ann@example.test", "admin", "customer asked");
            s.add("default", "ann@example.test", SuppressionReason.UNSUBSCRIBE, "unsubscribe", "one-click", null);
        }
        assertEquals(3, seen.size());
        try (SuppressionStore s = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            assertTrue(s.isSuppressed("default", "ann@example.test"));
            List<SuppressionChange> h = s.history("default", "Ann@Example.test");
            assertEquals(List.of("add", "remove", "add"), h.stream().map(SuppressionChange::action).toList());
            assertEquals(SuppressionReason.UNSUBSCRIBE, h.get(0).reason());
            assertEquals("customer asked", h.get(1).note());
            assertEquals("feedback", h.get(2).source());
            List<SuppressionEntry> all = new ArrayList<>();
            s.forEach(null, all::add);
            assertEquals(1, all.size());
        }
    }

    @Test
    void nonsenseKeysAreRefused(@TempDir Path dir) {
        try (SuppressionStore s = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            assertThrows(IllegalArgumentException.class, () -> s.add("default", "no-at-sign", SuppressionReason.MANUAL, "admin", null, null));
            assertThrows(IllegalArgumentException.class, () -> s.add("bad tenant!", "a@b.test", SuppressionReason.MANUAL, "admin", null, null));
            assertFalse(s.isSuppressed("default", ""));
        }
    }

    @Test
    void indexGrowsPastItsInitialSize(@TempDir Path dir) {
        try (SuppressionStore s = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            for (int i = 0; i < 5000; i++) {
                s.add("default", "u" + i + "@grow.test", SuppressionReason.MANUAL, "import", null, null);
            }
            assertEquals(5000, s.size());
            for (int i = 0; i < 5000; i++) {
                assertTrue(s.isSuppressed("default", "u" + i + "@grow.test"));
            }
            assertFalse(s.isSuppressed("default", "u5000@grow.test"));
        }
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
