package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern MESSAGE_ID = Pattern.compile("\r\nMessage-ID: <(crash-\\d+)@src\\.test>\r\n");

    @ParameterizedTest(name = "durability {0}")
    @ValueSource(strings = {"mmap", "fsync"})
    void everyAcknowledgedMessageIsDeliveredAfterKill9(String durability, @TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.spool.durability", durability)
                     .set("sluice.delivery.retry-initial", "1s")
                     .start()) {
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();

            Thread[] phase1 = inject(daemon.smtpPort(), next, acknowledged);
            while (acknowledged.size() < TOTAL * 2 / 5) {
                Thread.sleep(5);
            }
            daemon.kill9();
            for (Thread t : phase1) {
                t.join(60_000);
            }
            int ackedBeforeKill = acknowledged.size();
            int triedBeforeKill = next.get();

            daemon.startAgain();
            Thread[] phase2 = inject(daemon.smtpPort(), next, acknowledged);
            for (Thread t : phase2) {
                t.join(300_000);
            }

            Map<String, Integer> delivered = awaitAll(sink, acknowledged, Duration.ofSeconds(180));
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

    /** Injector threads that take message numbers until TOTAL; each stops at its first I/O error. */
    private static Thread[] inject(int port, AtomicInteger next, Set<String> acknowledged) {
        Thread[] threads = new Thread[INJECTORS];
        for (int i = 0; i < INJECTORS; i++) {
            threads[i] = new Thread(() -> {
                try (SmtpDialogue smtp = SmtpDialogue.open(port)) {
                    smtp.command("EHLO injector.test");
                    int n;
                    while ((n = next.getAndIncrement()) < TOTAL) {
                        String id = "crash-" + n;
                        smtp.command("MAIL FROM:<injector@src.test>");
                        smtp.command("RCPT TO:<sink-" + n + "@dest.test>");
                        SmtpDialogue.Reply reply = smtp.data("Subject: " + id + "\r\nMessage-ID: <" + id
                                + "@src.test>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\n"
                                + ("body of " + id + " ").repeat(40) + "\r\n");
                        if (reply.code() == 250) {
                            acknowledged.add(id);
                        }
                    }
                } catch (IOException e) {
                    // the daemon was killed under us: what was acknowledged so far is recorded
                }
            }, "injector-" + i);
            threads[i].start();
        }
        return threads;
    }

    private static Map<String, Integer> awaitAll(SmtpSink sink, Set<String> expected, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Integer> seen;
        do {
            seen = new HashMap<>();
            for (SmtpSink.Message m : sink.messages()) {
                Matcher matcher = MESSAGE_ID.matcher(m.contentAsString());
                if (matcher.find()) {
                    seen.merge(matcher.group(1), 1, Integer::sum);
                }
            }
            if (seen.keySet().containsAll(expected)) {
                return seen;
            }
            Thread.sleep(1000);
        } while (Instant.now().isBefore(deadline));
        return seen;
    }
}
