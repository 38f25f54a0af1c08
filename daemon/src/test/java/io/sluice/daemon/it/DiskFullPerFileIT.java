package io.sluice.daemon.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disk full under each file the daemon writes besides the spool (which {@link DiskFullIT}
 * covers): the event log, the suppression log and the soft-bounce counters each live on a small
 * tmpfs that is filled to the last byte while mail flows, with hard and soft bounces that make
 * the daemon want to write there. The daemon must keep running and delivering, lose nothing it
 * acknowledged, and once space returns write what it had to: the held-back events, the
 * suppression of the hard-bounced address, the soft-bounce count.
 */
class DiskFullPerFileIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @ParameterizedTest(name = "{0} on a full disk")
    @ValueSource(strings = {"events", "suppression", "hygiene"})
    void aFullDiskUnderOneFileLosesNothing(String file, @TempDir Path dir) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small"));
        DiskFullIT.mountTmpfs(mount, "40m");
        Path filler = mount.resolve("filler");
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()
                .rcptReply("gone@dest.test", "550 5.1.1 <gone@dest.test>: Recipient address rejected: User unknown")
                .rcptReply("full@dest.test", "452 4.2.2 <full@dest.test>: Mailbox full");
             DaemonProcess daemon = place(file, mount, DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + mx.port())
                     .set("sluice.delivery.retry-initial", "1s")
                     .set("sluice.delivery.retry-max", "2s")
                     .set("sluice.delivery.destination-down-for", "1s"))
                     .start()) {
            fill(filler);
            for (int i = 0; i < 10; i++) {
                daemon.mail().send(List.of("ok" + i + "@dest.test"), "Message-ID: <ok-" + i + "@src.test>\r\n");
            }
            daemon.mail().send(List.of("gone@dest.test"), "Message-ID: <gone@src.test>\r\n");
            daemon.mail().send(List.of("full@dest.test"), "Message-ID: <full@src.test>\r\n");
            for (int i = 0; i < 10; i++) {
                mx.awaitFor("ok" + i + "@dest.test", WAIT);
            }
            Thread.sleep(3000); // the bounce and a few soft-bounce retries happen on the full disk
            assertTrue(daemon.healthStatus() > 0, "the daemon answers /health");
            try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
                assertEquals(250, smtp.command("NOOP").code(), "the daemon is alive and serving");
            }

            Files.delete(filler); // space returns
            Path events = file.equals("events") ? mount.resolve("events.jsonl") : daemon.eventsFile();
            Eventually.until("every event written once space returned", WAIT, () -> {
                String text = Files.exists(events) ? Files.readString(events) : "";
                for (int i = 0; i < 10; i++) {
                    if (!text.contains("ok" + i + "@dest.test")) {
                        return false;
                    }
                }
                return text.contains("\"type\":\"Bounce\"") && text.contains("gone@dest.test");
            });
            Eventually.eventually("the hard bounce suppressed the address", WAIT, () -> {
                try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
                    smtp.command("EHLO client.test");
                    smtp.command("MAIL FROM:<sender@src.test>");
                    return smtp.command("RCPT TO:<gone@dest.test>");
                }
            }, rcpt -> rcpt.code() == 550);
            if (file.equals("hygiene")) {
                // the next soft bounce to write brings the file up to date: the one counted while the
                // disk was full is written with it (a retry of the same delivery counts once, so it
                // takes a second message)
                daemon.mail().send(List.of("full@dest.test"), "Message-ID: <full-2@src.test>\r\n");
                Path counts = mount.resolve("hygiene").resolve("soft-bounces.log");
                Eventually.until("both soft bounces on disk once space returned", WAIT, () -> Files.exists(counts)
                        && Files.readAllLines(counts).stream().filter(l -> l.contains("full@dest.test")).count() >= 2);
            }
            assertTrue(daemon.tail().lines().noneMatch(l -> l.contains("SIGBUS") || l.contains("fatal error")),
                    daemon.tail());
        } finally {
            Files.deleteIfExists(filler);
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static DaemonProcess.Builder place(String file, Path mount, DaemonProcess.Builder daemon) {
        return switch (file) {
            case "events" -> daemon.set("sluice.events.file", mount.resolve("events.jsonl"))
                    .set("sluice.events.min-free", "1MB");
            case "suppression" -> daemon.set("sluice.suppression.dir", mount.resolve("suppression"))
                    .set("sluice.suppression.min-free", "1MB");
            case "hygiene" -> daemon.set("sluice.hygiene.soft-bounce-dir", mount.resolve("hygiene"));
            default -> throw new IllegalArgumentException(file);
        };
    }

    /** Writes until the file system refuses another byte. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // no space left: exactly what we wanted
        }
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // the last bytes too
        }
    }
}
