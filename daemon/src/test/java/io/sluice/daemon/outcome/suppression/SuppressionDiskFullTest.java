package io.sluice.daemon.outcome.suppression;

import io.micronaut.http.HttpResponse;
import io.sluice.daemon.operate.admin.SuppressionController;
import io.sluice.queue.FreeSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 12: the suppression log is memory-mapped, so a change written on a full disk could
 * raise SIGBUS. Below its free-space floor a change is refused with a precise answer before the
 * log is touched; lookups go on; changes are taken again once space returns.
 */
class SuppressionDiskFullTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T08:00:00Z"), ZoneOffset.UTC);
    private static final long FLOOR = 64L << 20;

    @Test
    void aChangeBelowTheFloorIsRefusedBeforeTheLogIsTouchedAndTakenOnceSpaceReturns(@TempDir Path dir) {
        AtomicLong usable = new AtomicLong(10L << 30);
        try (SuppressionStore s = SuppressionStore.open(dir, CLOCK, 16, null, KeyHashing.FNV,
                FreeSpace.measuredBy(usable::get, FLOOR))) {
            s.add("acme", "kept@example.test", SuppressionReason.MANUAL, "admin", null, null);
            long logged = s.lastLogIndex();

            usable.set(FLOOR - 1);
            SuppressionStore.DiskFull refused = assertThrows(SuppressionStore.DiskFull.class,
                    () -> s.add("acme", "new@example.test", SuppressionReason.HARD_BOUNCE, "bounce", null, null));
            assertTrue(refused.getMessage().contains("floor"), refused.getMessage());
            assertThrows(SuppressionStore.DiskFull.class, () -> s.remove("acme", "kept@example.test", "admin", null));
            assertEquals(logged, s.lastLogIndex(), "nothing was appended");
            assertTrue(s.isSuppressed("acme", "kept@example.test"), "lookups go on");
            assertFalse(s.isSuppressed("acme", "new@example.test"));

            usable.set(10L << 30);
            assertTrue(s.add("acme", "new@example.test", SuppressionReason.HARD_BOUNCE, "bounce", null, null).isPresent());
            assertTrue(s.isSuppressed("acme", "new@example.test"));
        }
    }

    @Test
    void theAdminApiAnswers503ProblemJsonWhileTheDiskIsFull(@TempDir Path dir) {
        AtomicLong usable = new AtomicLong(FLOOR - 1);
        try (SuppressionStore s = SuppressionStore.open(dir, CLOCK, 16, null, KeyHashing.FNV,
                FreeSpace.measuredBy(usable::get, FLOOR))) {
            SuppressionController admin = new SuppressionController(s);
            HttpResponse<?> answer = admin.add(new SuppressionController.AddRequest("acme", "a@example.test", null, null, null));
            assertEquals(503, answer.code());
            assertEquals("application/problem+json", answer.getContentType().orElseThrow().toString());
            assertTrue(answer.getHeaders().contains("Retry-After"));
        }
    }
}
