package io.sluice.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.protocol.testing.SignedZones;
import io.sluice.protocol.testing.SmtpSink;
import io.sluice.protocol.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Issue 16, DANE through the real daemon: a zone signed with ldns-signzone and served by Knot on
 * loopback is the daemon's only DNS server, its KSK the daemon's only trust anchor
 * ({@code sluice.dane.trust-anchors}), so the daemon validates from that zone down as it would
 * from the root. Every MX host is a SubEthaSMTP sink on its own 127.0.0.x offering STARTTLS with
 * a Bouncy Castle certificate. Then the TLS-RPT counts those sessions left in the daemon's ledger
 * are reported by the daemon itself, by mail, and read back by {@code scripts/tlsrpt-read.py}.
 */
class DaneDeliveryIT {
    private static final Path READER = Path.of(System.getProperty("sluice.repo", ".."), "scripts", "tlsrpt-read.py");
    private static final String ZONE = "dane.test";
    private static final String RUA = "\"v=TLSRPTv1; rua=mailto:tlsrpt@rua.dane.test\"";

    private final List<String> received = new CopyOnWriteArrayList<>();

    @Test
    void daneDecidesEachDeliveryAndTheDaysSessionsAreReported(@TempDir Path dir) throws Exception {
        TestPki.Issued cert = TestPki.selfSigned(Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30),
                "mx-good.dane.test");
        TestPki.Issued stranger = TestPki.selfSigned(Instant.now(), Duration.ofDays(30), "stranger.example");
        String pinned = "3 1 1 " + sha256(cert.certificate().getPublicKey().getEncoded());
        String wrong = "3 1 1 " + sha256(stranger.certificate().getPublicKey().getEncoded());
        int port = DaemonProcess.freePort();
        List<SMTPServer> sinks = new ArrayList<>();
        try (SignedZones dns = SignedZones.builder()
                     .signed(ZONE,
                             // (a) DANE-EE record that matches the sink's key
                             "good MX 10 mx-good", "mx-good A 127.0.0.41", "_25._tcp.mx-good TLSA " + pinned,
                             "_smtp._tls.good TXT " + RUA,
                             // (b) a DANE-EE record for some other key
                             "wrong MX 10 mx-wrong", "mx-wrong A 127.0.0.42", "_25._tcp.mx-wrong TLSA " + wrong,
                             "_smtp._tls.wrong TXT " + RUA,
                             // (c) the right record under a signature that does not verify
                             "bogus MX 10 mx-bogus", "mx-bogus A 127.0.0.43", "_25._tcp.mx-bogus TLSA " + pinned,
                             "_smtp._tls.bogus TXT " + RUA,
                             // (c') the MX RRset itself under a bad signature
                             "bogus-mx MX 10 mx-bogus-mx", "mx-bogus-mx A 127.0.0.44",
                             "_25._tcp.mx-bogus-mx TLSA " + pinned, "_smtp._tls.bogus-mx TXT " + RUA,
                             // where the TLS reports go: no TLSA, so plain opportunistic TLS
                             "rua MX 10 mx-rua", "mx-rua A 127.0.0.46")
                     // (d) delegated without DS: insecure, so its TLSA record (which would not match) is not used
                     .unsigned("insecure.dane.test", "@ MX 10 mx", "mx A 127.0.0.45", "_25._tcp.mx TLSA " + wrong)
                     .corruptSignature("_25._tcp.mx-bogus.dane.test", "TLSA")
                     .corruptSignature("bogus-mx.dane.test", "MX")
                     .start();
             SmtpSink reports = SmtpSink.builder().listen("127.0.0.46", port).dumpDir(dir.resolve("reports")).start()) {
            sinks.add(sink("127.0.0.41", port, cert.serverContext()));
            sinks.add(sink("127.0.0.42", port, cert.serverContext()));
            sinks.add(sink("127.0.0.43", port, cert.serverContext()));
            sinks.add(sink("127.0.0.44", port, cert.serverContext()));
            sinks.add(sink("127.0.0.45", port, cert.serverContext()));
            Path anchors = Files.writeString(dir.resolve("anchors.key"), dns.trustAnchors());
            Path ledger = dir.resolve("tls-rpt");
            try (DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                    .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                    .set("sluice.delivery.port", port)
                    .set("sluice.delivery.retry-initial", "1h") // one session per deferred domain, so the counts are exact
                    .set("sluice.dane.validation", "local")
                    .set("sluice.dane.trust-anchors", anchors)
                    .set("sluice.tls-report.dir", ledger)
                    .set("sluice.tls-report.delay", "0s")
                    .set("sluice.tls-report.submitter", "mta.sender.test")
                    .set("sluice.tls-report.from", "tlsrpt-noreply@sender.test")
                    .start()) {
                try {
                    deliveries(daemon);
                    reportOfTheDay(daemon, ledger, reports);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\ndaemon log:\n" + daemon.tail(), e);
                }
            }
        } finally {
            sinks.forEach(SMTPServer::stop);
        }
    }

    private void deliveries(DaemonProcess daemon) throws Exception {
        daemon.mail().send(List.of("a@good.dane.test", "b@wrong.dane.test", "c@bogus.dane.test", "d@bogus-mx.dane.test",
                "e@insecure.dane.test"), "Subject: dane\r\n");

        JsonNode good = await(daemon, "Delivery", "a@good.dane.test");
        assertEquals("dane", good.path("tls_policy").asText(), good.toString());
        assertEquals("verified", good.path("tls").asText(), good.toString());

        JsonNode wrong = deferredUnderDane(daemon, "b@wrong.dane.test");
        assertTrue(wrong.path("response").path("text").asText().contains("validation-failure"), wrong.toString());

        JsonNode bogus = deferredUnderDane(daemon, "c@bogus.dane.test");
        assertTrue(bogus.path("response").path("text").asText().contains("dnssec-invalid"), bogus.toString());
        JsonNode bogusMx = deferredUnderDane(daemon, "d@bogus-mx.dane.test");
        assertTrue(bogusMx.path("response").path("text").asText().contains("dnssec-invalid"), bogusMx.toString());

        JsonNode insecure = await(daemon, "Delivery", "e@insecure.dane.test");
        assertEquals("opportunistic", insecure.path("tls_policy").asText(), insecure.toString());
        assertEquals("encrypted", insecure.path("tls").asText(), insecure.toString());

        assertEquals(List.of("a@good.dane.test", "e@insecure.dane.test"), received.stream().sorted().toList(),
                "nothing reached an MX whose TLSA did not match or whose DNSSEC was bogus");
        assertEquals(List.of(), daemon.events().ofType("Bounce"), "a DANE failure defers, never bounces");
        assertEquals(List.of(), daemon.events().ofType("DaneValidationBroken"), "the anchor validates: no alarm");
    }

    /* Deferred under DANE: 451 4.7.5 (RFC 7672 §2.2: no clear text, no other host), never a bounce. */
    private static JsonNode deferredUnderDane(DaemonProcess daemon, String recipient) throws InterruptedException {
        JsonNode e = await(daemon, "TransientFailure", recipient);
        assertEquals("dane", e.path("tls_policy").asText(), e.toString());
        assertEquals("failed", e.path("tls").asText(), e.toString());
        assertEquals(451, e.path("response").path("code").asInt(), e.toString());
        assertEquals("4.7.5", e.path("response").path("enhanced_code").asText(), e.toString());
        return e;
    }

    /*
     * The sessions above were counted in today's ledger file. A day is reported once it is over;
     * rather than wait for midnight, the daemon is stopped, today's file becomes yesterday's (its
     * contents untouched: the counts are those of the real sessions), and the restarted daemon's
     * schedule reports it through its own intake and egress to the rua published in the zone.
     */
    private static void reportOfTheDay(DaemonProcess daemon, Path ledger, SmtpSink reports) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate yesterday = today.minusDays(1);
        daemon.stop();
        Files.move(ledger.resolve(today + ".tlsrpt"), ledger.resolve(yesterday + ".tlsrpt"));
        daemon.startAgain();

        List<SmtpSink.Message> mails = reports.awaitMessages(4, Duration.ofSeconds(90));
        Map<String, JsonNode> byDomain = new HashMap<>();
        for (SmtpSink.Message mail : mails) {
            assertEquals(List.of("tlsrpt@rua.dane.test"), mail.rcptTo());
            JsonNode report = read(mail.file());
            byDomain.put(report.path("policy-domain").asText(), report);
        }
        assertEquals(4, byDomain.size(), "one report per policy domain: " + byDomain.keySet());
        assertEquals(List.of(), byDomain.keySet().stream().filter(d -> d.startsWith("insecure")).toList(),
                "opportunistic sessions answer to no published policy, so no report");

        JsonNode good = onlyTlsaPolicy(byDomain.get("good.dane.test"), yesterday);
        assertEquals(1, good.path("success").asInt(), good.toString());
        assertEquals(0, good.path("failure").asInt(), good.toString());
        assertEquals("[\"mx-good.dane.test\"]", good.path("mx-host").toString(), good.toString());

        JsonNode wrong = onlyTlsaPolicy(byDomain.get("wrong.dane.test"), yesterday);
        assertEquals(0, wrong.path("success").asInt(), wrong.toString());
        assertEquals(1, wrong.path("failure").asInt(), wrong.toString());
        assertEquals(1, wrong.path("failures").path("validation-failure").asInt(), wrong.toString());

        for (String domain : List.of("bogus.dane.test", "bogus-mx.dane.test")) {
            JsonNode bogus = onlyTlsaPolicy(byDomain.get(domain), yesterday);
            assertEquals(0, bogus.path("success").asInt(), bogus.toString());
            assertEquals(1, bogus.path("failures").path("dnssec-invalid").asInt(), bogus.toString());
            assertEquals(1, bogus.path("failures").size(), "dnssec-invalid only: " + bogus);
        }
        Eventually.until("the reported day's ledger file is deleted", Duration.ofSeconds(10),
                () -> !Files.exists(ledger.resolve(yesterday + ".tlsrpt")));
    }

    private static JsonNode onlyTlsaPolicy(JsonNode report, LocalDate day) {
        assertTrue(report != null, "a report");
        assertTrue(report.path("report-id").asText().startsWith(day + "_"), report.toString());
        assertEquals(1, report.path("policies").size(), report.toString());
        JsonNode policy = report.path("policies").get(0);
        assertEquals("tlsa", policy.path("policy-type").asText(), policy.toString());
        return policy;
    }

    private static JsonNode await(DaemonProcess daemon, String type, String recipient) throws InterruptedException {
        return daemon.events().await(type + " for " + recipient, Duration.ofSeconds(60),
                e -> type.equals(e.path("type").asText()) && recipient.equals(e.path("recipient").asText()));
    }

    private static JsonNode read(Path file) throws Exception {
        Process p = new ProcessBuilder("python3", READER.toString(), "mail", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return new ObjectMapper().readTree(out);
    }

    private SMTPServer sink(String address, int port, SSLContext tls) throws Exception {
        return StartTlsSink.start(address, port, tls, received);
    }

    private static String sha256(byte[] in) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in));
    }
}
