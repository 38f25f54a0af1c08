package io.sluice.queue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Fills a real 64 MiB tmpfs: a SIGBUS would kill the forked test JVM and fail the build. */
class DiskFullTest {
    @TempDir
    Path tmp;
    private Path mountPoint;

    @Test
    void fullDiskRefusesAcceptsWithoutCrashingAndKeepsWhatWasAccepted() throws Exception {
        mount();
        try {
            Path dir = mountPoint.resolve("spool");
            SpoolSettings s = settings(dir, Durability.FSYNC).withMinFreeBytes(8L << 20);
            List<MessageId> accepted = new ArrayList<>();
            byte[] body = new byte[256 * 1024];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) i;
            }
            try (Spool spool = Spool.open(s)) {
                SpoolFullException full = null;
                for (int i = 0; i < 1000 && full == null; i++) {
                    try {
                        accepted.add(spool.accept(envelope("r@x.test"), body));
                    } catch (SpoolFullException e) {
                        full = e;
                    }
                }
                if (full == null) {
                    fail("64 MiB never filled up");
                }
                assertTrue(accepted.size() > 50, "accepted " + accepted.size());
                assertTrue(spool.status().degraded());
                assertThrows(SpoolFullException.class, () -> spool.accept(envelope("r@x.test"), body));
                java.util.concurrent.CompletionException async = assertThrows(
                        java.util.concurrent.CompletionException.class,
                        () -> spool.acceptAsync(envelope("r@x.test"), body).join());
                assertTrue(async.getCause() instanceof SpoolFullException, async.toString());
            }
            try (Spool spool = Spool.open(s)) {
                assertEquals(accepted.size(), spool.recovered().size());
                for (MessageId id : accepted) {
                    assertArrayEquals(body, spool.read(id).body());
                }
                // outcomes free space: once delivered and reclaimed, accepts work again
                for (MessageId id : accepted) {
                    spool.record(new DeliveryId(id, 0), new Outcome.Delivered(java.time.Instant.now()));
                }
            }
        } finally {
            // lazy: Chronicle may still hold mappings until they are cleaned, which keeps the mount busy
            new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void mount() throws Exception {
        mountPoint = java.nio.file.Files.createDirectories(tmp.resolve("tmpfs"));
        int rc;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mountPoint.toString())
                    .redirectErrorStream(true).start();
            rc = p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (java.io.IOException e) {
            rc = -2;
        }
        if (rc != 0) {
            if ("true".equals(System.getenv("CI"))) {
                fail("cannot mount a tmpfs (rc " + rc + "): the disk-full test must run in CI");
            }
            Assumptions.assumeTrue(false, "cannot mount a tmpfs here (rc " + rc + "): disk-full test skipped");
        }
    }
}
