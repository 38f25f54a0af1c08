package io.sluice.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.sluice.queue.SpoolFixtures.body;
import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A caller that waits for its append writes and syncs it on its own thread when nobody else is
 * writing, and leaves it to the writer of the moment otherwise; callers that must not block hand
 * theirs to the writer thread. Whoever writes, every accepted message is durable before its
 * acknowledgement, and readable, also after a restart.
 */
class WriteLeadershipTest {
    @TempDir
    Path dir;

    /** Which threads appended and synced, and any acknowledgement that overtook its sync. */
    static final class ThreadProbe extends GroupCommitTest.OrderingProbe {
        final Set<String> appendedOn = ConcurrentHashMap.newKeySet();
        final Set<String> syncedOn = ConcurrentHashMap.newKeySet();

        @Override public void appended(MessageId id, long position) {
            appendedOn.add(Thread.currentThread().getName());
        }

        @Override public void synced(long upTo) {
            syncedOn.add(Thread.currentThread().getName());
            super.synced(upTo);
        }
    }

    @Test
    void aLoneCallerWritesAndSyncsItsOwnMessageWithoutAHandOff() throws Exception {
        ThreadProbe probe = new ThreadProbe();
        Thread.currentThread().setName("smtp-session-test");
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC).withProbe(probe))) {
            MessageId id = spool.accept(envelope("r@x.test"), body("lone"));
            assertEquals(Set.of("smtp-session-test"), probe.appendedOn);
            assertEquals(Set.of("smtp-session-test"), probe.syncedOn);
            assertEquals("lone", text(spool.read(id)));

            MessageId later = spool.acceptAsync(envelope("r@x.test"), body("async")).get(30, TimeUnit.SECONDS);
            assertTrue(probe.appendedOn.contains("sluice-spool-writer"),
                    "a caller that must not block hands its append to the writer thread: " + probe.appendedOn);
            assertEquals("async", text(spool.read(later)));
        }
        assertTrue(probe.violations.isEmpty(), String.join("\n", probe.violations));
    }

    @Test
    void waitingAndNonBlockingCallersTogetherLoseNothingAndAckNothingBeforeItsSync() throws Exception {
        ThreadProbe probe = new ThreadProbe();
        int blocking = 6;
        int async = 2;
        int perThread = 300;
        ConcurrentLinkedQueue<MessageId> ids = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC).withProbe(probe))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < blocking + async; t++) {
                boolean waits = t < blocking;
                int thread = t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        List<CompletableFuture<MessageId>> pending = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            byte[] b = body("t" + thread + "m" + i);
                            if (waits) {
                                ids.add(spool.accept(envelope("r@x.test"), b));
                            } else {
                                pending.add(spool.acceptAsync(envelope("r@x.test"), b));
                            }
                        }
                        for (CompletableFuture<MessageId> f : pending) {
                            ids.add(f.get(60, TimeUnit.SECONDS));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "caller-" + t);
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join(120_000);
            }
            assertTrue(errors.isEmpty(), errors.toString());
            int total = (blocking + async) * perThread;
            assertEquals(total, ids.size());
            assertEquals(total, new HashSet<>(ids).size(), "every message has its own id");
            for (MessageId id : ids) {
                assertTrue(text(spool.read(id)).startsWith("t"), "readable: " + id);
            }
        }
        assertTrue(probe.violations.isEmpty(), String.join("\n", probe.violations));
        assertTrue(probe.appendedOn.stream().anyMatch(n -> n.startsWith("caller-")),
                "waiting callers write batches themselves: " + probe.appendedOn);
        try (Spool reopened = Spool.open(settings(dir, Durability.FSYNC))) {
            Set<MessageId> recovered = new HashSet<>();
            reopened.recovered().forEach(d -> recovered.add(d.id().message()));
            assertEquals(new HashSet<>(ids), recovered, "every accepted message is live after a restart");
        }
    }

    @Test
    void anInterruptedCallerStillHasItsMessageWrittenAndKeepsItsInterrupt() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC))) {
            Thread.currentThread().interrupt();
            MessageId id;
            try {
                id = spool.accept(envelope("r@x.test"), body("interrupted"));
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is the caller's to see");
            }
            assertEquals("interrupted", text(spool.read(id)));
        }
    }

    private static String text(StoredMessage m) {
        return new String(m.body(), StandardCharsets.UTF_8);
    }
}
