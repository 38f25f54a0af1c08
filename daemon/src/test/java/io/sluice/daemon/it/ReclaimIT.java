package io.sluice.daemon.it;

import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.ExternalTool;
import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disk comes back: while one recipient stays deferred, 10,000 others are delivered across
 * several roll cycles (one-second cycles here). The finished cycle files are deleted, the
 * deferred message is copied forward, and after a restart it is still delivered.
 */
class ReclaimIT {

    @Test
    void finishedCyclesAreDeletedAndTheDeferredMessageSurvivesARestart(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        int messages = 10_000;
        try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.1", port).start();
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx.ok.test", "127.0.0.1").mx("ok.test", "mx.ok.test", 10)
                     .host("mx.later.test", "127.0.0.14").mx("later.test", "mx.later.test", 10)
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.delivery.retry-initial", "2s")
                     .set("sluice.delivery.retry-max", "2s")
                     .set("sluice.spool.roll-cycle", "TEST_SECONDLY")
                     .set("sluice.spool.reclaim-interval", "1s")
                     .start()) {
            try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
                smtp.command("EHLO client.test");
                smtp.command("MAIL FROM:<sender@src.test>");
                smtp.command("RCPT TO:<patient@later.test>");
                assertEquals(250, smtp.data("Subject: waits\r\nMessage-ID: <deferred@src.test>\r\n\r\nstill here\r\n").code());
            }
            Path messagesDir = daemon.spoolDir().resolve("messages");
            Set<String> cyclesSeen = new TreeSet<>();
            Process source = new ProcessBuilder(ExternalTool.require("smtp-source").toString(),
                    "-s", "10", "-m", String.valueOf(messages), "-l", "1024",
                    "-f", "load@src.test", "-t", "rcpt@ok.test", "127.0.0.1:" + daemon.smtpPort())
                    .redirectErrorStream(true).start();
            while (!source.waitFor(200, TimeUnit.MILLISECONDS)) {
                cyclesSeen.addAll(cycleFiles(messagesDir));
            }
            assertEquals(0, source.exitValue(), new String(source.getInputStream().readAllBytes()));
            sink.awaitMessages(messages, Duration.ofSeconds(120));

            // give reclaim a few passes once everything is final
            Instant deadline = Instant.now().plusSeconds(30);
            Set<String> left;
            do {
                Thread.sleep(500);
                cyclesSeen.addAll(cycleFiles(messagesDir));
                left = cycleFiles(messagesDir);
            } while (left.size() > 2 && Instant.now().isBefore(deadline));
            System.out.printf("reclaim: %d message cycle files seen during the run, %d left: %s%n",
                    cyclesSeen.size(), left.size(), left);
            assertTrue(cyclesSeen.size() >= 4, "the run spanned several roll cycles: " + cyclesSeen);
            assertTrue(left.size() <= 2, "finished cycles were deleted, left: " + left);
            Set<String> deleted = new TreeSet<>(cyclesSeen);
            deleted.removeAll(left);
            assertTrue(deleted.size() >= cyclesSeen.size() - 2, "deleted " + deleted);
            assertTrue(daemon.events().ofType("Delivery").stream()
                    .noneMatch(e -> e.path("recipient").asText().equals("patient@later.test")));

            // restart with the late host now answering: the copied-forward message goes out
            daemon.stop();
            try (SmtpSink late = SmtpSink.builder().listen("127.0.0.14", port).start()) {
                daemon.startAgain();
                SmtpSink.Message got = SinkWaits.await(late, "deferred", Duration.ofSeconds(60),
                        SinkWaits.containing("<deferred@src.test>"));
                assertTrue(got.contentAsString().endsWith("\r\n\r\nstill here\r\n"));
            }
        }
    }

    private static Set<String> cycleFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
