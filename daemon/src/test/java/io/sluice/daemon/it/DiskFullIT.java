package io.sluice.daemon.it;

import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A full disk under a memory-mapped spool raises SIGBUS, which kills a JVM. The daemon must
 * see it coming: with the spool on a small tmpfs it answers 452 4.3.1 before the disk is full,
 * reports itself degraded, keeps running, and still delivers everything it acknowledged.
 */
class DiskFullIT {

    @Test
    void fullSpoolAnswers452AndLosesNothing(@TempDir Path dir) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tmpfs"));
        mountTmpfs(mount, "96m");
        try {
            int sinkPort = FreePorts.tcp(); // nothing listens yet: every delivery waits in the spool
            List<String> acknowledged = new ArrayList<>();
            try (DaemonProcess daemon = DaemonProcess.in(dir)
                    .set("sluice.spool.dir", mount.resolve("spool"))
                    .set("sluice.spool.min-free", "32MB")
                    .set("sluice.smtp.max-message-bytes", "1MB")
                    .set("sluice.smarthost", "127.0.0.1:" + sinkPort)
                    .set("sluice.delivery.retry-initial", "1s")
                    .set("sluice.delivery.retry-max", "1s")
                    .set("sluice.delivery.destination-down-for", "1s")
                    .start();
                 SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
                smtp.command("EHLO filler.test");
                String body = ("f".repeat(998) + "\r\n").repeat(500);
                SmtpDialogue.Reply refused = null;
                for (int i = 0; i < 200 && refused == null; i++) {
                    smtp.command("MAIL FROM:<filler@src.test>");
                    smtp.command("RCPT TO:<fill@dest.test>");
                    SmtpDialogue.Reply reply = smtp.data("Subject: fill " + i + "\r\nMessage-ID: <fill-" + i
                            + "@src.test>\r\n\r\n" + body);
                    if (reply.code() == 250) {
                        acknowledged.add("<fill-" + i + "@src.test>");
                    } else {
                        refused = reply;
                    }
                }
                assertTrue(acknowledged.size() >= 10, "some mail fit: " + acknowledged.size());
                SinkWaits.assertRefusedForStorage(daemon, smtp, refused);

                // a receiver appears: everything acknowledged before the disk filled goes out
                try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.1", sinkPort).start()) {
                    SinkWaits.awaitMessageIds(sink, acknowledged, Duration.ofSeconds(120));
                }
            }
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    static void mountTmpfs(Path mount, String size) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) {
            if ("true".equals(System.getenv("CI"))) {
                fail("cannot mount a tmpfs (rc " + rc + ": " + out + "): the disk-full test must run in CI");
            }
            Assumptions.abort("cannot mount a tmpfs here (" + out.strip() + "): disk-full test skipped; run as root");
        }
    }
}
