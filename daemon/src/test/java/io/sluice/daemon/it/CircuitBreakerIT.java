package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.protocol.testing.Dnsmasq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rates and the circuit breaker against the real daemon, with test-low thresholds: an ARF
 * complaint (corpus, carrying the VERP return path the receiver got) drives tenant acme over the
 * complaint rule towards provider fbl; acme's next mail to fbl waits while beta's mail to fbl and
 * acme's mail to another provider flow; the operator's resume lets it go. 5xx block replies take
 * the source out of provider blocky's rotation. {@code /admin/rates} shows the counts, and
 * "no feed" for a provider without a feedback loop.
 */
class CircuitBreakerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BOUNCE_DOMAIN = "bounces.example.test";
    private static final String OUTSIDER = "127.0.0.5";
    private static final String BLOCK = "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org";

    @Test
    void complaintsAndBlocksPauseByProviderAndResumeLifts(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("providers.yml"), """
                providers:
                  - name: fbl
                    domains: [fbl.test]
                    feedback-loop: true
                  - name: other
                    domains: [other.test]
                  - name: blocky
                    domains: [blocky.test]
                """);
        Path breaker = Files.writeString(dir.resolve("breaker.yml"), """
                rules:
                  - name: complaint-pause
                    threshold: 20%
                    min-volume: 4
                    window: 15m
                    pause-for: 1h
                  - name: complaint-warn
                    enabled: false
                  - name: block-cool-down
                    threshold: 50%
                    min-volume: 3
                """);
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()
                .rcptReply("k0@blocky.test", BLOCK).rcptReply("k1@blocky.test", BLOCK).rcptReply("k2@blocky.test", BLOCK);
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx.fbl.test", "127.0.0.1").host("mx.other.test", "127.0.0.1").host("mx.blocky.test", "127.0.0.1")
                     .mx("fbl.test", "mx.fbl.test", 10).mx("other.test", "mx.other.test", 10)
                     .mx("blocky.test", "mx.blocky.test", 10)
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", mx.port())
                     .set("sluice.relay.networks", "127.0.0.1/32")
                     .set("sluice.egress.rules-file", rules)
                     .set("sluice.breaker.rules-file", breaker)
                     .set("sluice.bounce.domain", BOUNCE_DOMAIN)
                     .set("sluice.bounce.secret", "it-secret-0123456789abcdef")
                     .set("sluice.feedback.address", "fbl@" + BOUNCE_DOMAIN)
                     // named tenants, so a token can be checked for them once their message left the spool
                     .set("sluice.tenants.acme.hygiene.hard-bounce", "true")
                     .set("sluice.tenants.beta.hygiene.hard-bounce", "true")
                     .start()) {
            AdminApi admin = daemon.admin();
            EventLogReader events = daemon.events();
            daemon.mail().send(MailSender.recipients("a", "fbl.test", 4), "X-Sluice-Tenant: acme\r\n");
            daemon.mail().send(MailSender.recipients("b", "fbl.test", 4), "X-Sluice-Tenant: beta\r\n");
            for (String r : List.of("a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3")) {
                mx.awaitFor(r + "@fbl.test", WAIT);
            }

            // one complaint about acme's four: 25 %, over the test's 20 % line
            String returnPath = mx.awaitFor("a0@fbl.test", WAIT).sender();
            // delivered to all its recipients, the message has left the spool: the report's
            // Original-Rcpt-To is what the token is checked against
            String arf = corpus("arf/arf-01.eml").replace("support@example.ed.jp", returnPath)
                    .replace("Feedback-Type: abuse", "Feedback-Type: abuse\nOriginal-Rcpt-To: a0@fbl.test");
            assertEquals(250, feedbackMail(daemon, "fbl-sender@isp.test", "fbl@" + BOUNCE_DOMAIN, arf));
            JsonNode paused = events.await("acme paused towards fbl", WAIT, e -> "Suspension".equals(e.path("type").asText())
                    && "tenant:acme>fbl".equals(e.path("scope").asText()));
            assertEquals("breaker:complaint-pause", paused.path("rule").asText(), paused.toString());
            assertTrue(paused.path("note").asText().contains("1 of 4 delivered"), paused.toString());

            // acme's next mail to fbl waits; beta's to fbl and acme's to another provider go
            daemon.mail().send(List.of("a9@fbl.test"), "X-Sluice-Tenant: acme\r\n");
            daemon.mail().send(List.of("b9@fbl.test"), "X-Sluice-Tenant: beta\r\n");
            daemon.mail().send(List.of("x1@other.test"), "X-Sluice-Tenant: acme\r\n");
            mx.awaitFor("b9@fbl.test", WAIT);
            mx.awaitFor("x1@other.test", WAIT);
            Eventually.until("acme's mail waits in its scheduled queue", WAIT, () -> admin.waiting() == 1);
            assertFalse(mx.received().stream().anyMatch(r -> r.recipients().contains("a9@fbl.test")));
            assertTrue(events.ofType("Bounce").stream().noneMatch(e -> e.path("recipient").asText().startsWith("a9@")),
                    "a pause never bounces");
            JsonNode holds = admin.get("/admin/suspensions");
            assertTrue(holds.toString().contains("breaker:complaint-pause"), holds.toString());

            // the rates: complaints per provider with a feed, "no feed" where there is none
            JsonNode fbl = admin.get("/admin/rates?by=sender&provider=fbl&tenant=acme").path("rows").get(0);
            JsonNode w = fbl.path("windows").path("15m");
            assertEquals(4, w.path("delivered").asInt(), fbl.toString());
            assertEquals(1, w.path("complaints").asInt(), fbl.toString());
            assertEquals(25.0, w.path("complaint_rate").asDouble(), 1e-9, fbl.toString());
            JsonNode other = admin.get("/admin/rates?by=tenant&provider=other").path("rows").get(0);
            assertEquals("no feed", other.path("windows").path("24h").path("complaint_rate").asText(), other.toString());

            // sluicectl shows the same, and the operator lifts the pause with it
            String table = sluicectl(daemon, dir, "rates", "--by", "sender", "--provider", "fbl", "--window", "15m");
            assertTrue(table.lines().anyMatch(l -> l.startsWith("fbl") && l.contains("acme") && l.contains("25.0%")), table);
            String noFeed = sluicectl(daemon, dir, "rates", "--by", "tenant", "--provider", "other");
            assertTrue(noFeed.contains("no feed"), noFeed);
            String resumed = sluicectl(daemon, dir, "resume", "tenant:acme>fbl");
            assertTrue(resumed.contains("resumed tenant:acme>fbl"), resumed);
            mx.awaitFor("a9@fbl.test", WAIT);

            // block replies on most of a source's attempts: out of that provider's rotation
            daemon.mail().send(MailSender.recipients("k", "blocky.test", 3), "X-Sluice-Tenant: beta\r\n");
            JsonNode cooled = events.await("the source out of blocky's rotation", WAIT,
                    e -> "Suspension".equals(e.path("type").asText())
                            && "source:default>blocky".equals(e.path("scope").asText()));
            assertEquals("breaker:block-cool-down", cooled.path("rule").asText(), cooled.toString());
            JsonNode blocky = admin.get("/admin/rates?by=source&provider=blocky").path("rows").get(0);
            assertEquals(3, blocky.path("windows").path("15m").path("blocked").asInt(), blocky.toString());

            // and in Prometheus, by provider and tenant only
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.httpPort() + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("sluice_rates_signals_total{provider=\"fbl\",signal=\"complaint\",tenant=\"acme\"}"),
                    metrics.lines().filter(l -> l.contains("rates")).toList().toString());
            assertTrue(metrics.contains("sluice_breaker_holds"), "breaker holds gauge");
        }
    }

    /** Runs bin/sluicectl against the daemon; its output, after asserting exit code 0. */
    private static String sluicectl(DaemonProcess daemon, Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of("..", "bin", "sluicectl").toAbsolutePath().normalize().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().put("SLUICE_JAR", DaemonProcess.jar().toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("SLUICE_URL", "http://127.0.0.1:" + daemon.httpPort());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** One mail from outside the relay networks; the reply code to RCPT if refused, else to DATA. */
    private static int feedbackMail(DaemonProcess daemon, String from, String to, String content) throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort(), OUTSIDER)) {
            smtp.command("EHLO mx.isp.test");
            smtp.command("MAIL FROM:<" + from + ">");
            SmtpDialogue.Reply rcpt = smtp.command("RCPT TO:<" + to + ">");
            if (rcpt.code() != 250) {
                return rcpt.code();
            }
            return smtp.data(content.replace("\r\n", "\n").replace("\n", "\r\n")).code();
        }
    }

    private static String corpus(String name) throws IOException {
        Path p = Path.of(System.getProperty("sluice.repo", ".."), "testdata", "corpora", name);
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }
}
