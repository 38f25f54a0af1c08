package io.sluice.daemon.outcome.suppression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changes other cluster nodes made, applied to the local store: last writer wins, silently, and stay apart from local ones. */
class ReplicatedChangesTest {
    private static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");

    private static SuppressionChange add(String key, Instant at) {
        return new SuppressionChange(SuppressionChange.ADD, "default", key, SuppressionReason.COMPLAINT, "feedback",
                "abuse report", at, null);
    }

    private static SuppressionChange remove(String key, Instant at) {
        return new SuppressionChange(SuppressionChange.REMOVE, "default", key, SuppressionReason.COMPLAINT, "admin",
                null, at, null);
    }

    @Test
    void replicatedChangeSuppressesWithoutAnEventAndSurvivesRestart(@TempDir Path dir) {
        List<SuppressionChange> events = new ArrayList<>();
        try (SuppressionStore s = SuppressionStore.open(dir, new SuppressionStoreTest.MutableClock(T0), 16, events::add)) {
            assertTrue(s.applyReplicated(add("Far@Away.test", T0), "node-b"));
            assertTrue(s.isSuppressed("default", "far@away.test"));
            assertEquals("abuse report", s.lookup("default", "far@away.test").orElseThrow().note());
            assertFalse(s.applyReplicated(add("far@away.test", T0), "node-b"), "the same change twice changes nothing");
        }
        assertEquals(List.of(), events, "the origin node's event log has it; this one must not repeat it");
        try (SuppressionStore s = SuppressionStore.open(dir, new SuppressionStoreTest.MutableClock(T0), 16, null)) {
            assertTrue(s.isSuppressed("default", "far@away.test"), "the local log is the persistent copy");
        }
    }

    @Test
    void lastWriterWinsWhateverOrderChangesArriveIn(@TempDir Path dir) {
        try (SuppressionStore s = SuppressionStore.open(dir, new SuppressionStoreTest.MutableClock(T0), 16, null)) {
            assertTrue(s.applyReplicated(remove("x@y.test", T0.plusSeconds(10)), "node-b"));
            assertFalse(s.applyReplicated(add("x@y.test", T0), "node-c"), "an older add arriving late loses");
            assertFalse(s.isSuppressed("default", "x@y.test"));
            assertTrue(s.applyReplicated(add("x@y.test", T0.plusSeconds(20)), "node-c"));
            assertTrue(s.isSuppressed("default", "x@y.test"));
            assertFalse(s.applyReplicated(remove("x@y.test", T0.plusSeconds(20)), "node-b"),
                    "same instant: the add wins, on every node");
            assertTrue(s.isSuppressed("default", "x@y.test"));
        }
    }

    @Test
    void localChangeAfterAReplicatedOneIsNewerEvenWhenTheOtherClockRunsAhead(@TempDir Path dir) {
        try (SuppressionStore s = SuppressionStore.open(dir, new SuppressionStoreTest.MutableClock(T0), 16, null)) {
            s.applyReplicated(add("ahead@y.test", T0.plusSeconds(60)), "node-b");
            SuppressionChange removed = s.remove("default", "ahead@y.test", "admin", "mistake").orElseThrow();
            assertTrue(removed.at().isAfter(T0.plusSeconds(60)), removed.at().toString());
        }
    }

    @Test
    void onlyLocalChangesAreMarkedForPublishing(@TempDir Path dir) {
        List<Runnable> woken = new ArrayList<>();
        try (SuppressionStore s = SuppressionStore.open(dir, new SuppressionStoreTest.MutableClock(T0), 16, null)) {
            s.onLocalChange(() -> woken.add(null));
            s.add("default", "mine@here.test", SuppressionReason.MANUAL, "admin", null, null);
            s.applyReplicated(add("theirs@there.test", T0), "node-b");
            s.remove("default", "mine@here.test", "admin", null);
            assertEquals(2, woken.size(), "the add and the remove made here");

            List<SuppressionStore.LoggedChange> all = new ArrayList<>();
            long last = s.changesAfter(-1, 100, all::add);
            assertEquals(3, all.size());
            assertEquals(last, s.lastLogIndex());
            assertEquals(List.of(true, false, true), all.stream().map(SuppressionStore.LoggedChange::local).toList());
            assertEquals("node-b", all.get(1).origin());
            List<SuppressionStore.LoggedChange> rest = new ArrayList<>();
            assertEquals(last, s.changesAfter(all.get(0).index(), 100, rest::add));
            assertEquals(2, rest.size(), "after the first");
            assertEquals(last, s.changesAfter(last, 100, rest::add), "nothing after the last");

            List<SuppressionChange> latest = new ArrayList<>();
            s.forEachLatest(latest::add);
            assertEquals(2, latest.size(), "one per key, the removal included");
        }
    }
}
