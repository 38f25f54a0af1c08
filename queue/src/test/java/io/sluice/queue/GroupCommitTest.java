package io.sluice.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.queue.SpoolFixtures.body;
import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {
    @TempDir
    Path dir;

    /** Records the order of probe events and flags any ack that overtook its sync. */
    static class OrderingProbe implements SpoolProbe {
        final AtomicLong syncedUpTo = new AtomicLong(-1);
        final AtomicInteger syncs = new AtomicInteger();
        final AtomicInteger acks = new AtomicInteger();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

        @Override public void synced(long upTo) {
            syncs.incrementAndGet();
            syncedUpTo.accumulateAndGet(upTo, Math::max);
        }

        @Override public void acknowledged(MessageId id, long position) {
            acks.incrementAndGet();
            if (syncedUpTo.get() < position) {
                violations.add(id + " acked at " + position + " before sync (synced up to " + syncedUpTo.get() + ")");
            }
        }
    }

    @Test
    void fsyncNeverAcknowledgesBeforeTheSyncThatCoversItEvenAcrossRolls() throws Exception {
        OrderingProbe probe = new OrderingProbe();
        MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
        SpoolSettings s = settings(dir, Durability.FSYNC).withRollCycle("TEST_SECONDLY").withClock(clock)
                .withProbe(probe);
        int threads = 8;
        int perThread = 150;
        try (Spool spool = Spool.open(s)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            for (int t = 0; t < threads; t++) {
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            if (i % 25 == 0) {
                                clock.advance(Duration.ofSeconds(1)); // rolls while others are mid-batch
                            }
                            spool.accept(envelope("r@x.test"), body("m" + i));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertTrue(errors.isEmpty(), errors.toString());
        }
        assertTrue(probe.violations.isEmpty(), String.join("\n", probe.violations));
        assertEquals(threads * perThread, probe.acks.get());
        assertTrue(probe.syncs.get() > 0);
        long cycles = new CycleFiles(dir.resolve("messages"), RollCycleNames.resolve("TEST_SECONDLY")).list().size();
        assertTrue(cycles > 5, "expected several roll cycles, got " + cycles);
    }

    @Test
    void mmapModeAcknowledgesWithoutAnySync() throws Exception {
        OrderingProbe probe = new OrderingProbe();
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP).withProbe(probe))) {
            for (int i = 0; i < 50; i++) {
                spool.accept(envelope("r@x.test"), body("m" + i));
            }
        }
        assertEquals(50, probe.acks.get());
        assertEquals(0, probe.syncs.get(), "MMAP must not pay for fsync");
    }
}
