package io.sluice.daemon.outcome.suppression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 8: the index keeps hashes only, so a hit is confirmed against the address the
 * change log holds. Under a hashing where every key collides (what an attacker who could choose
 * collisions would get), one address's entry never suppresses, nor lifts the suppression of,
 * another.
 */
class SuppressionCollisionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T08:00:00Z"), ZoneOffset.UTC);

    /** Every tenant and every key hashes alike. */
    private static final KeyHashing ALL_COLLIDE = new KeyHashing() {
        @Override
        public long tenantHash(CharSequence tenant) {
            return 7;
        }

        @Override
        public long keyHash(CharSequence key, int from) {
            return 11;
        }
    };

    private static SuppressionStore open(Path dir) {
        return SuppressionStore.open(dir, CLOCK, 16, null, ALL_COLLIDE);
    }

    @Test
    void anEntryForOneAddressDoesNotSuppressAnotherWithTheSameHash(@TempDir Path dir) {
        try (SuppressionStore s = open(dir)) {
            s.add("acme", "attacker@evil.test", SuppressionReason.MANUAL, "api", null, null);

            assertTrue(s.isSuppressed("acme", "attacker@evil.test"));
            assertTrue(s.isSuppressed("acme", "ATTACKER@evil.test"), "still case-insensitive");
            assertFalse(s.isSuppressed("acme", "victim@example.test"));
            assertFalse(s.isSuppressed("other", "attacker@evil.test"), "nor the same address for another tenant");
            assertTrue(s.lookup("acme", "victim@example.test").isEmpty());
        }
    }

    @Test
    void anEntryWithTheSameHashCannotLiftAnotherAddressesSuppression(@TempDir Path dir) {
        try (SuppressionStore s = open(dir)) {
            s.add("acme", "victim@example.test", SuppressionReason.HARD_BOUNCE, "bounce", "550 5.1.1", null);
            s.add("acme", "attacker@evil.test", SuppressionReason.MANUAL, "api", null, null);
            s.remove("acme", "attacker@evil.test", "api", null);

            assertTrue(s.isSuppressed("acme", "victim@example.test"));
            assertFalse(s.isSuppressed("acme", "attacker@evil.test"));
            assertEquals(SuppressionReason.HARD_BOUNCE, s.lookup("acme", "victim@example.test").orElseThrow().reason());
            assertEquals(1, s.history("acme", "victim@example.test").size(), "each address keeps its own history");
            assertEquals(2, s.history("acme", "attacker@evil.test").size());
            assertEquals(1, s.size());
        }
    }

    @Test
    void domainAndGlobalEntriesAreConfirmedToo(@TempDir Path dir) {
        try (SuppressionStore s = open(dir)) {
            s.add("acme", "@blocked.test", SuppressionReason.MANUAL, "admin", null, null);
            s.add(SuppressionStore.GLOBAL, "trap@anywhere.test", SuppressionReason.MANUAL, "admin", null, null);

            assertTrue(s.isSuppressed("acme", "anyone@blocked.test"));
            assertTrue(s.isSuppressed("acme", "trap@anywhere.test"));
            assertFalse(s.isSuppressed("acme", "someone@else.test"));
        }
    }

    @Test
    void theRebuildAtStartKeepsCollidingEntriesApart(@TempDir Path dir) {
        try (SuppressionStore s = open(dir)) {
            s.add("acme", "victim@example.test", SuppressionReason.HARD_BOUNCE, "bounce", null, null);
            s.add("acme", "attacker@evil.test", SuppressionReason.MANUAL, "api", null, null);
            s.remove("acme", "attacker@evil.test", "api", null);
        }
        try (SuppressionStore s = open(dir)) {
            assertTrue(s.isSuppressed("acme", "victim@example.test"));
            assertFalse(s.isSuppressed("acme", "attacker@evil.test"));
            assertFalse(s.isSuppressed("acme", "third@example.test"));
        }
    }
}
