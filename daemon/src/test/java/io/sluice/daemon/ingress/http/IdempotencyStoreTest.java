package io.sluice.daemon.ingress.http;

import io.micronaut.json.JsonMapper;
import io.sluice.daemon.TestClock;
import io.sluice.queue.FreeSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 items 12 and 13: the idempotency file is refused before any mail is queued while its
 * disk is below the floor (so a client never gets an error for mail that went out), and keys
 * older than {@code sluice.api.idempotency-window} leave memory and the file while the daemon
 * runs, not only at the next start.
 */
class IdempotencyStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final long FLOOR = 64L << 20;

    @TempDir
    Path dir;

    private static InjectionResult result(String id) {
        return new InjectionResult(1, 0, List.of(), List.of(id));
    }

    @Test
    void belowTheFloorTheRequestIsRefusedBeforeAnyMailIsQueued() throws Exception {
        AtomicLong usable = new AtomicLong(FLOOR - 1);
        AtomicInteger queued = new AtomicInteger();
        try (IdempotencyStore store = new IdempotencyStore(dir.resolve("idempotency.jsonl"), Duration.ofHours(24),
                JsonMapper.createDefault(), new TestClock(T0), FreeSpace.measuredBy(usable::get, FLOOR))) {
            IdempotencyStore.DiskFull refused = assertThrows(IdempotencyStore.DiskFull.class,
                    () -> store.once("acme/k1", () -> {
                        queued.incrementAndGet();
                        return result("m1");
                    }));
            assertTrue(refused.getMessage().contains("floor"), refused.getMessage());
            assertEquals(0, queued.get(), "nothing was queued");

            usable.set(10L << 30);
            assertEquals(List.of("m1"), store.once("acme/k1", () -> {
                queued.incrementAndGet();
                return result("m1");
            }).ids());
            assertEquals(1, queued.get());
        }
    }

    @Test
    void keysOlderThanTheWindowLeaveMemoryAndTheFileWhileRunning() throws Exception {
        TestClock clock = new TestClock(T0);
        Path file = dir.resolve("idempotency.jsonl");
        try (IdempotencyStore store = new IdempotencyStore(file, Duration.ofHours(1), JsonMapper.createDefault(), clock,
                FreeSpace.measuredBy(() -> Long.MAX_VALUE, 0))) {
            for (int i = 0; i < 3000; i++) {
                store.once("acme/old" + i, () -> result("m"));
            }
            clock.advance(Duration.ofHours(2));
            for (int i = 0; i < 3000; i++) {
                store.once("acme/new" + i, () -> result("m"));
            }
            assertTrue(store.size() <= 3000 + IdempotencyStore.COMPACT_SLACK,
                    "expired keys are forgotten: " + store.size() + " held");
            long lines = Files.readAllLines(file).size();
            assertTrue(lines <= 3000 + IdempotencyStore.COMPACT_SLACK, "the file is compacted: " + lines + " lines");
        }
    }
}
