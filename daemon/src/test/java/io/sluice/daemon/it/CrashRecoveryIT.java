package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise 1, "nothing accepted is lost", under kill -9: injectors record the Message-ID of
 * every message that got a 250; the daemon is killed mid-way (no shutdown hook runs), started
 * again, and every acknowledged message must reach the sink. Duplicates (at least once) are
 * counted and reported.
 */
class CrashRecoveryIT {
    private static final int TOTAL = 5000;
    private static final int INJECTORS = 4;

    @ParameterizedTest(name = "durability {0}")
    @ValueSource(strings = {"mmap", "fsync"})
    void everyAcknowledgedMessageIsDeliveredAfterKill9(String durability, @TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.spool.durability", durability)
                     .set("sluice.delivery.retry-initial", "1s")
                     .start()) {
            AcknowledgedLoad load = new AcknowledgedLoad("crash-", TOTAL);
            Set<String> acknowledged = load.acknowledged;

            Thread[] phase1 = load.start(daemon.smtpPort(), INJECTORS);
            load.awaitAcknowledged(TOTAL * 2 / 5);
            daemon.kill9();
            for (Thread t : phase1) {
                t.join(60_000);
            }
            int ackedBeforeKill = acknowledged.size();
            int triedBeforeKill = load.next.get();

            daemon.startAgain();
            Thread[] phase2 = load.start(daemon.smtpPort(), INJECTORS);
            for (Thread t : phase2) {
                t.join(300_000);
            }

            Map<String, Integer> delivered = load.awaitDelivered(sink, Duration.ofSeconds(180));
            long duplicates = delivered.values().stream().filter(n -> n > 1).count();
            Set<String> lost = new java.util.TreeSet<>(acknowledged);
            lost.removeAll(delivered.keySet());
            System.out.printf("crash test [%s]: tried %d before kill, %d acknowledged before kill, %d acknowledged in all,"
                            + " %d distinct delivered, %d delivered more than once, %d lost%n",
                    durability, triedBeforeKill, ackedBeforeKill, acknowledged.size(), delivered.size(), duplicates,
                    lost.size());
            assertTrue(lost.isEmpty(), "acknowledged but never delivered: " + lost);
            assertTrue(acknowledged.size() >= TOTAL - INJECTORS * 2, "the injectors got through: " + acknowledged.size());
            assertEquals(200, daemon.healthStatus());
        }
    }
}
