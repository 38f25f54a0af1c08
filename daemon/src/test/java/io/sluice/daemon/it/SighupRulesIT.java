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

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SIGHUP applies a changed provider rule to a running daemon without dropping queued mail. */
class SighupRulesIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode call(DaemonProcess daemon, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String rules(String rate) {
        return """
                providers:
                  - name: slowpoke
                    domains: [held.test]
                    message-rate: %s
                """.formatted(rate);
    }

    @Test
    void sighupAppliesAChangedProviderRuleAndKeepsQueuedMail(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, rules("1/h"));
        try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.44", port).start();
             Dnsmasq dns = Dnsmasq.builder().host("mx.held.test", "127.0.0.44").mx("held.test", "mx.held.test", 10).start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.egress.rules-file", rules)
                     .start()) {
            for (int i = 0; i < 5; i++) {
                daemon.mail().send(MailSender.recipients("q" + i + "-", "held.test", 1), "");
            }
            // one an hour: the first goes, the other four wait on the rule
            daemon.events().await("the first delivery", Duration.ofSeconds(30),
                    e -> "Delivery".equals(e.path("type").asText()));
            // the other four are held by the rate on the path (one connection waits for its next slot)
            AdminApi admin = daemon.admin();
            Eventually.until("four held back by the rate", Duration.ofSeconds(30),
                    () -> admin.waiting() + admin.ready() == 4);
            assertEquals(1, daemon.events().ofType("Delivery").size(), "the rate holds the rest back");
            JsonNode why = call(daemon, "GET", "/admin/why?domain=held.test", null);
            assertEquals("slowpoke", why.path("rule").path("provider").asText(), why.toString());

            Files.writeString(rules, rules("100/s"));
            daemon.signal("HUP");
            daemon.events().await("all five delivered after the reload", Duration.ofSeconds(60),
                    e -> daemon.events().ofType("Delivery").size() == 5);
            assertEquals(5, daemon.events().ofType("Reception").size());
            assertEquals(0, daemon.events().ofType("Bounce").size(), "nothing dropped or bounced by the reload");
        }
    }
}
