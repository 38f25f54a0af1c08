package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM under load: new sessions and new transactions get {@code 421 4.3.2}, a transaction
 * under way finishes with its 250, the daemon exits 0 within {@code sluice.shutdown.grace}, and
 * after a restart every acknowledged message is delivered.
 */
class GracefulStopIT {
    private static final int TOTAL = 5000;
    private static final int INJECTORS = 4;

    @Test
    void sigtermDrainsSessionsAndLosesNothing(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.delivery.retry-initial", "1s")
                     .set("sluice.shutdown.grace", "20s")
                     .start()) {
            AcknowledgedLoad load = new AcknowledgedLoad("drain-", TOTAL);
            Set<String> acknowledged = load.acknowledged;
            Set<String> refusals = load.refusals;

            // held back until after the restart, so that "delivered" means "recovered from the spool"
            assertEquals(200, admin(daemon, "/admin/suspend", "{\"scope\":\"domain:dest.test\",\"duration\":\"1h\"}"));
            // one transaction open across the signal, one idle session
            SmtpDialogue held = SmtpDialogue.open(daemon.smtpPort());
            held.command("EHLO held.test");
            assertEquals(250, held.command("MAIL FROM:<held@src.test>").code());
            assertEquals(250, held.command("RCPT TO:<held@dest.test>").code());
            SmtpDialogue idle = SmtpDialogue.open(daemon.smtpPort());
            idle.command("EHLO idle.test");

            Thread[] injectors = load.start(daemon.smtpPort(), INJECTORS);
            load.awaitAcknowledged(TOTAL * 2 / 5);
            Instant signalled = Instant.now();
            daemon.signal("TERM");
            Thread.sleep(1000);

            try (SmtpDialogue late = SmtpDialogue.open(daemon.smtpPort())) {
                assertEquals(421, late.greeting().code(), late.greeting().toString());
                assertTrue(late.greeting().text().contains("4.3.2"), late.greeting().toString());
            }
            SmtpDialogue.Reply mail = idle.command("MAIL FROM:<idle@src.test>");
            assertEquals(421, mail.code(), mail.toString());
            assertTrue(mail.text().contains("4.3.2 Service shutting down"), mail.toString());

            SmtpDialogue.Reply finished = held.data("Subject: held\r\nMessage-ID: <drain-held@src.test>\r\n\r\nheld\r\n");
            assertEquals(250, finished.code(), "the transaction under way finishes: " + finished);
            acknowledged.add("drain-held");
            closeQuietly(held);
            closeQuietly(idle);

            int exit = daemon.awaitExit(Duration.ofSeconds(40));
            Duration took = Duration.between(signalled, Instant.now());
            assertEquals(0, exit, "exit status after SIGTERM; log:\n" + daemon.tail());
            assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0, "stopped in " + took);
            for (Thread t : injectors) {
                t.join(60_000);
            }
            assertTrue(refusals.stream().allMatch(r -> r.startsWith("421")), "refusals: " + refusals);
            assertEquals(0, sink.messages().size(), "nothing was delivered before the restart");

            daemon.startAgain();
            admin(daemon, "/admin/resume", "{\"scope\":\"domain:dest.test\"}");
            Map<String, Integer> delivered = load.awaitDelivered(sink, Duration.ofSeconds(180));
            Set<String> lost = new TreeSet<>(acknowledged);
            lost.removeAll(delivered.keySet());
            System.out.printf("graceful stop: %d acknowledged, %d distinct delivered, %d lost, stopped in %s%n",
                    acknowledged.size(), delivered.size(), lost.size(), took);
            assertTrue(lost.isEmpty(), "acknowledged but never delivered: " + lost);
            assertTrue(acknowledged.size() >= TOTAL * 2 / 5);
        }
    }

    private static int admin(DaemonProcess daemon, String path, String json) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void closeQuietly(SmtpDialogue smtp) {
        try {
            smtp.close();
        } catch (IOException e) {
            // the listener may already be closed
        }
    }
}
