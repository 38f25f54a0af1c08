package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API on the real daemon: the token is required, an operator suspends a domain and mail
 * waits (and is explained by /admin/why), resumes it and mail flows; warm-up progress is shown;
 * a reload with a broken file is refused naming the key and one with a good file keeps queued mail.
 */
class AdminApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> call(DaemonProcess daemon, String method, String path, String body,
                                             String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void operatorsSeeAndSteerTheEgressEngine(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Path egress = EgressFiles.oneWarmingSource(dir, "127.0.0.41");
        String token = "s3cret-token";
        try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.42", port).start();
             Dnsmasq dns = Dnsmasq.builder().host("mx.held.test", "127.0.0.42").mx("held.test", "mx.held.test", 10).start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.egress.file", egress)
                     .set("sluice.admin.token", token)
                     .start()) {
            assertEquals(401, call(daemon, "GET", "/admin/queues", null, null).statusCode());
            assertEquals(401, call(daemon, "GET", "/admin/queues", null, "wrong").statusCode());

            JsonNode held = ok(call(daemon, "POST", "/admin/suspend", "{\"scope\":\"domain:held.test\",\"duration\":\"1h\"}", token));
            assertEquals("domain:held.test", held.path("scope").asText());
            assertEquals(400, call(daemon, "POST", "/admin/suspend", "{\"scope\":\"planet:mars\"}", token).statusCode());

            daemon.mail().send(MailSender.recipients("r", "held.test", 3), "X-Sluice-Tenant: acme\r\n");
            // held: the three reach their scheduled queue and stay there, none placed on a path
            Eventually.until("three waiting for the hold", Duration.ofSeconds(30),
                    () -> ok(call(daemon, "GET", "/admin/queues", null, token)).path("waiting").asInt() == 3);
            assertEquals(0, sink.messages().size(), "a suspended domain's mail waits");
            JsonNode queues = ok(call(daemon, "GET", "/admin/queues", null, token));
            assertEquals(3, queues.path("waiting").asInt(), queues.toString());
            JsonNode first = queues.path("scheduled").get(0);
            assertEquals("acme", first.path("tenant").asText());
            assertEquals("held.test", first.path("domain").asText());
            JsonNode why = ok(call(daemon, "GET", "/admin/why?domain=held.test", null, token));
            assertEquals(3, why.path("waiting").asInt(), why.toString());
            assertEquals("domain:held.test", why.path("holds").get(0).path("scope").asText(), why.toString());
            assertEquals("default", why.path("rule").path("provider").asText());

            // a broken file is refused with the key named; the running configuration stays
            Files.writeString(egress, "pools:\n  main: {sources: {nobody: 1}}\n");
            HttpResponse<String> refused = call(daemon, "POST", "/admin/reload", null, token);
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("pools.main.sources.nobody"), refused.body());
            // a good one is taken, and the queued mail is still there
            Files.writeString(egress, """
                    sources:
                      warm: {address: 127.0.0.41, warmup: {schedule: default, start: %s}}
                      other: {address: 127.0.0.43}
                    pools:
                      main: {sources: {warm: 1, other: 1}}
                    """.formatted(today));
            assertEquals(1, ok(call(daemon, "POST", "/admin/reload", null, token)).path("pools").asInt());
            assertEquals(3, ok(call(daemon, "GET", "/admin/queues", null, token)).path("waiting").asInt());

            ok(call(daemon, "POST", "/admin/resume", "{\"scope\":\"domain:held.test\"}", token));
            EventLogReader delivered = daemon.events();
            for (int i = 0; i < 3; i++) {
                delivered.await("delivery after resume", Duration.ofSeconds(30),
                        EventLogReader.type("Delivery", "r" + i + "@held.test"));
            }
            // one message to three recipients of one site: one transaction may carry them all
            assertEquals(3, sink.messages().stream().mapToInt(m -> m.rcptTo().size()).sum());
            JsonNode warmup = ok(call(daemon, "GET", "/admin/warmup", null, token));
            assertEquals("warm", warmup.get(0).path("source").asText(), warmup.toString());
            assertEquals(1, warmup.get(0).path("day").asInt());
            assertEquals(50, warmup.get(0).path("capToday").path("*").asInt(), warmup.toString());
            EventLogReader events = daemon.events();
            assertTrue(events.ofType("Suspension").stream().anyMatch(e -> "admin".equals(e.path("rule").asText())));
            assertTrue(events.ofType("Resumption").stream().anyMatch(e -> "domain:held.test".equals(e.path("scope").asText())));
        }
    }
}
