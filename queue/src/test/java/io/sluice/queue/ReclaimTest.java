package io.sluice.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import static io.sluice.queue.SpoolFixtures.body;
import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReclaimTest {
    @TempDir
    Path dir;

    @Test
    void oldCyclesAreDeletedAndTheOneDeferredMessageIsCopiedForwardIntact() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
        SpoolSettings s = settings(dir, Durability.MMAP).withRollCycle("TEST_SECONDLY").withClock(clock);
        byte[] deferredBody = body("the one that waits ".repeat(50));
        MessageId deferred;
        Set<Path> oldMessageFiles;
        Set<Path> oldJournalFiles;
        try (Spool spool = Spool.open(s)) {
            deferred = spool.accept(envelope("slow@x.test"), deferredBody);
            spool.record(new DeliveryId(deferred, 0),
                    new Outcome.Deferred(clock.instant(), 3, clock.instant().plusSeconds(3600), "421"));
            List<MessageId> others = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                if (i % 2500 == 0) {
                    clock.advance(Duration.ofSeconds(1));
                    spool.reclaim(); // checkpoints land in early journal cycles too
                }
                others.add(spool.accept(envelope("fast" + i + "@y.test"), body("message " + i)));
            }
            for (MessageId id : others) {
                spool.record(new DeliveryId(id, 0), new Outcome.Delivered(clock.instant()));
            }
            clock.advance(Duration.ofSeconds(1));
            oldMessageFiles = Set.copyOf(files(dir.resolve("messages")).values());
            oldJournalFiles = Set.copyOf(files(dir.resolve("journal")).values());
            assertTrue(oldMessageFiles.size() >= 4, "several cycles expected: " + oldMessageFiles);

            spool.reclaim();
            clock.advance(Duration.ofSeconds(1));
            spool.reclaim(); // the copy's cycle is now old too: copied again, its old cycle goes

            for (Path p : oldMessageFiles) {
                assertFalse(Files.exists(p), "old message cycle still on disk: " + p);
            }
            long journalLeft = oldJournalFiles.stream().filter(Files::exists).count();
            assertTrue(journalLeft <= 1, "old journal cycles should go, left " + journalLeft);
            assertArrayEquals(deferredBody, spool.read(deferred).body());
            assertEquals(1, spool.status().liveMessages());
        }
        try (Spool spool = Spool.open(s)) {
            assertEquals(1, spool.recovered().size());
            LiveDelivery d = spool.recovered().get(0);
            assertEquals(new DeliveryId(deferred, 0), d.id());
            assertEquals(3, d.attempts());
            assertArrayEquals(deferredBody, spool.read(deferred).body());
            assertEquals(envelope("slow@x.test"), spool.read(deferred).envelope());
        }
    }

    @Test
    void aCycleWithTooManyLiveMessagesWaits() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
        SpoolSettings s = settings(dir, Durability.MMAP).withRollCycle("TEST_SECONDLY").withClock(clock)
                .withCopyForwardMaxMessages(2);
        try (Spool spool = Spool.open(s)) {
            for (int i = 0; i < 3; i++) {
                spool.accept(envelope("r" + i + "@x.test"), body("m"));
            }
            Path first = files(dir.resolve("messages")).firstEntry().getValue();
            clock.advance(Duration.ofSeconds(2));
            spool.accept(envelope("later@x.test"), body("m"));
            spool.reclaim();
            assertTrue(Files.exists(first), "3 live > limit 2: the cycle must stay");
        }
    }

    /**
     * Issue 18 item 13: old journal cycles go only after the checkpoint that replaces them is
     * forced to disk (MMAP mode would leave it in the page cache, and a power cut in between would
     * find neither). The probe sees the sync while the old cycles are still on disk.
     */
    @Test
    void oldJournalCyclesAreDeletedOnlyAfterTheCheckpointIsSynced() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
        List<Long> synced = new ArrayList<>();
        List<Boolean> oldStillThere = new ArrayList<>();
        Set<Path>[] oldJournal = new Set[] {Set.of()};
        SpoolProbe probe = new SpoolProbe() {
            @Override
            public void checkpointSynced(long begin) {
                synced.add(begin);
                oldStillThere.add(oldJournal[0].stream().allMatch(Files::exists));
            }
        };
        SpoolSettings s = settings(dir, Durability.MMAP).withRollCycle("TEST_SECONDLY").withClock(clock).withProbe(probe);
        try (Spool spool = Spool.open(s)) {
            for (int i = 0; i < 3; i++) {
                MessageId id = spool.accept(envelope("r" + i + "@x.test"), body("m" + i));
                spool.record(new DeliveryId(id, 0), new Outcome.Delivered(clock.instant()));
                clock.advance(Duration.ofSeconds(1));
            }
            oldJournal[0] = Set.copyOf(files(dir.resolve("journal")).values());
            assertTrue(oldJournal[0].size() >= 2, "several journal cycles expected: " + oldJournal[0]);
            spool.reclaim();
            assertEquals(1, synced.size(), "the checkpoint was synced once");
            assertEquals(List.of(true), oldStillThere, "old journal cycles were still on disk when it was synced");
            assertTrue(oldJournal[0].stream().anyMatch(p -> !Files.exists(p)), "and went after it");
        }
    }

    private static TreeMap<Integer, Path> files(Path queueDir) {
        return new CycleFiles(queueDir, RollCycleNames.resolve("TEST_SECONDLY")).list();
    }
}
