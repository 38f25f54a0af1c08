package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events reach a webhook even when it is down for a while and the daemon restarts in between:
 * none missing, duplicates only as at-least-once allows, every batch signed. The event log is
 * rotated every few kilobytes here, so shipping crosses rotated files too.
 */
class WebhookIT {
    private static final String SECRET = "webhook-test-secret";

    @Test
    void eventsArriveAfterTheEndpointComesBackNoneMissing(@TempDir Path dir) throws Exception {
        AtomicBoolean up = new AtomicBoolean(false);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger badSignatures = new AtomicInteger();
        Map<String, Integer> received = new ConcurrentHashMap<>();
        ObjectMapper json = new ObjectMapper();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!up.get()) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            String signature = exchange.getRequestHeaders().getFirst("X-Sluice-Signature");
            if (signature == null || !signature.equals("sha256=" + hmac(body))) {
                badSignatures.incrementAndGet();
            }
            for (JsonNode e : json.readTree(body)) {
                received.merge(key(e), 1, Integer::sum);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        endpoint.start();
        int messages = 40;
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.events.rotate-size", "4KB")
                     .set("sluice.events.keep", "1")
                     .set("sluice.events.webhook.url", "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook")
                     .set("sluice.events.webhook.secret", SECRET)
                     .set("sluice.events.webhook.batch-size", "7")
                     .set("sluice.events.webhook.retry-max", "1s")
                     .start()) {
            send(daemon, 0, messages / 2);
            sink.awaitMessages(messages / 2, Duration.ofSeconds(60));
            waitFor(() -> refused.get() > 0, "the webhook was tried while down");
            daemon.stop();                      // the backlog must survive a restart
            List<Path> filesWhileDown = eventFiles(daemon.eventsFile());
            assertTrue(filesWhileDown.size() >= 2, "the log was rotated: " + filesWhileDown);
            long linesWhileDown = 0;
            for (Path f : filesWhileDown) {
                linesWhileDown += Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
            }
            assertEquals(messages, linesWhileDown, "nothing unshipped was deleted (keep=1): a Reception and a "
                    + "Delivery for each of the first " + messages / 2 + " messages");
            daemon.startAgain();
            send(daemon, messages / 2, messages);
            sink.awaitMessages(messages, Duration.ofSeconds(60));
            up.set(true);                       // the endpoint comes back

            // every message's Reception and Delivery arrive: none missing
            waitFor(() -> count(received, "Reception") == messages && count(received, "Delivery") == messages,
                    "a Reception and a Delivery for each of the " + messages + " messages");
            assertEquals(0, badSignatures.get(), "every batch carries a valid signature");
            long duplicates = received.values().stream().filter(n -> n > 1).count();
            System.out.printf("webhook: %d events shipped, %d refused attempts while down, %d duplicates%n",
                    received.size(), refused.get(), duplicates);
        } finally {
            endpoint.stop(0);
        }
    }

    private static java.util.List<Path> eventFiles(Path active) throws Exception {
        try (var files = Files.list(active.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(active.getFileName().toString())
                    && !p.getFileName().toString().contains("cursor")).sorted().toList();
        }
    }

    private static long count(Map<String, Integer> received, String type) {
        return received.keySet().stream().filter(k -> k.startsWith(type + "/")).count();
    }

    private static String key(JsonNode e) {
        return e.path("type").asText() + "/" + e.path("id").asText() + "/" + e.path("recipient_index").asText("-");
    }

    private static String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(DaemonProcess daemon, int from, int to) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO hook.test");
            for (int i = from; i < to; i++) {
                smtp.command("MAIL FROM:<hook@src.test>");
                smtp.command("RCPT TO:<r" + i + "@dest.test>");
                assertEquals(250, smtp.data("Subject: " + i + "\r\n\r\nbody\r\n").code());
            }
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(200);
        }
    }
}
