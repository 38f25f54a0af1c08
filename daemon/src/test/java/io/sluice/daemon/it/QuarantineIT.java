package io.sluice.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.protocol.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool record damaged on disk while the daemon was down does not stop it: it starts, keeps
 * the bytes under the spool's quarantine directory, and tells the operator on /health and in
 * the metrics.
 */
class QuarantineIT {

    @Test
    void aDamagedSpoolRecordIsQuarantinedAndReportedAndTheDaemonStarts(@TempDir Path dir) throws Exception {
        String marker = "damaged-tail@src.test";
        // a smarthost nobody answers on: the messages stay queued in the spool
        try (DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                .set("sluice.smarthost", "127.0.0.1:" + FreePorts.tcp())
                .start()) {
            daemon.mail().send(List.of("kept@dest.test"), "");
            try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
                smtp.command("EHLO client.test");
                assertEquals(250, smtp.command("MAIL FROM:<" + marker + ">").code());
                assertEquals(250, smtp.command("RCPT TO:<damaged@dest.test>").code());
                assertEquals(250, smtp.data("Subject: damaged\r\n\r\nbody\r\n").code());
            }
            daemon.kill9();
            // the int after the sender is the recipient count: a million, which no record holds
            overwriteAfter(daemon.spoolDir().resolve("messages"), marker.getBytes(StandardCharsets.US_ASCII),
                    ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1_000_000).array());

            daemon.startAgain();
            JsonNode health = AdminApi.JSON.readTree(daemon.healthBody());
            assertEquals("UP", health.path("status").asText(), health.toString());
            assertEquals(1, health.path("spool").path("quarantinedRecords").asInt(), health.toString());
            assertEquals(1, health.path("spool").path("liveMessages").asInt(), "the good message is still queued");
            try (Stream<Path> kept = Files.list(daemon.spoolDir().resolve("quarantine"))) {
                assertTrue(kept.anyMatch(p -> p.getFileName().toString().endsWith(".record")),
                        "the damaged record's bytes are kept for the operator");
            }
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.httpPort() + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("sluice_spool_quarantined_records 1.0"), metrics.body());
            assertTrue(Files.readString(daemon.log()).contains("quarantined"), "an ERROR line names it");
        }
    }

    /**
     * Overwrites the bytes right after the first occurrence of {@code marker} in the queue's files:
     * the envelope's sender field, which comes before the body (whose Received field may name it too).
     */
    private static void overwriteAfter(Path queueDir, byte[] marker, byte[] replacement) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(queueDir)) {
            files = s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 64L << 20));
                ch.read(buf, 0);
                byte[] data = buf.array();
                for (int i = 0; i + marker.length <= data.length; i++) {
                    if (java.util.Arrays.equals(data, i, i + marker.length, marker, 0, marker.length)) {
                        ch.write(ByteBuffer.wrap(replacement), i + marker.length);
                        return;
                    }
                }
            }
        }
        throw new AssertionError("marker not found in " + queueDir);
    }
}
