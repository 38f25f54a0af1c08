package io.sluice.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.testing.Dnsmasq;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sluice doctor} and {@code GET /admin/doctor} over a real configuration (a DKIM key,
 * a bounce domain, an egress file with one source) and real DNS (dnsmasq): exit 0 when all is
 * well, 1 with only warnings, 2 with failures; the endpoint's JSON; SourceHealth events and the
 * gauge for a source a block list lists.
 */
class DoctorIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "sluice").toAbsolutePath().normalize();
    private static final String SOURCE = "127.0.0.51";

    private record Result(int exit, String out) {
    }

    @Test
    void doctorCommandExitsByTheWorstVerdict(@TempDir Path dir) throws Exception {
        DkimKey key = KeyGenerator.rsa(2048);
        Path pem = dir.resolve("good.pem");
        KeyGenerator.writePem(key, pem);
        try (Dnsmasq dns = zone(key).start()) {
            Path config = config(dir, dns, pem, "");
            Result clean = run(dir, config, "doctor", "--domain", "good.test");
            assertEquals(0, clean.exit(), clean.out());
            assertTrue(clean.out().contains("pass    dkim           s1._domainkey.good.test"), clean.out());
            assertTrue(clean.out().contains("pass    spf            bounce.good.test s1 " + SOURCE), clean.out());
            assertTrue(clean.out().contains("pass    fcrdns"), clean.out());
            assertTrue(clean.out().contains("pass    bounce-mx      bounce.good.test"), clean.out());
            assertTrue(!clean.out().contains("warn.test"), clean.out());

            // everything configured: warn.test's DMARC policy is none, the rest passes
            Result warned = run(dir, config, "doctor");
            assertEquals(1, warned.exit(), warned.out());
            assertTrue(warned.out().contains("warn    dmarc-policy   warn.test"), warned.out());
            assertTrue(warned.out().contains("pass    dkim           s1._domainkey.good.test"), warned.out());

            Result failed = run(dir, config, "doctor", "--domain", "broken.test", "--json");
            assertEquals(2, failed.exit(), failed.out());
            JsonNode report = new ObjectMapper().readTree(failed.out().substring(failed.out().indexOf('{')));
            assertEquals("fail", report.get("verdict").asText());
            assertEquals(2, report.get("exitCode").asInt());
            assertTrue(hasFinding(report, "spf", "broken.test s1 " + SOURCE, "fail"), report.toPrettyString());
            assertTrue(hasFinding(report, "dmarc", "broken.test", "fail"), report.toPrettyString());

            assertEquals(3, run(dir, config, "doctor", "--bogus").exit());
        }
    }

    @Test
    void adminDoctorAnswersJsonAndAListedSourceBecomesASourceHealthEvent(@TempDir Path dir) throws Exception {
        DkimKey key = KeyGenerator.rsa(2048);
        Path pem = dir.resolve("good.pem");
        KeyGenerator.writePem(key, pem);
        try (Dnsmasq dns = zone(key)
                .host("2.0.0.127.bl.test", "127.0.0.2")
                .host("51.0.0.127.bl.test", "127.0.0.4")
                .start()) {
            Path config = config(dir, dns, pem, "    dnsbl:\n      - bl.test 127.0.0.2-127.0.0.11\n");
            try (DaemonProcess daemon = DaemonProcess.in(dir.resolve("d"))
                    .set("micronaut.config.files", config).start()) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + daemon.httpPort() + "/admin/doctor")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                JsonNode report = new ObjectMapper().readTree(r.body());
                assertEquals("fail", report.get("verdict").asText(), report.toPrettyString());
                assertTrue(hasFinding(report, "dnsbl", "s1 " + SOURCE + " bl.test", "fail"), report.toPrettyString());
                assertTrue(hasFinding(report, "dkim", "s1._domainkey.good.test", "pass"), report.toPrettyString());

                JsonNode listed = daemon.events().await("SourceHealth for the listing", Duration.ofSeconds(10),
                        e -> "SourceHealth".equals(e.path("type").asText()) && "dnsbl:bl.test".equals(e.path("rule").asText()));
                assertEquals("fail", listed.get("action").asText(), listed.toString());
                assertEquals("s1", listed.get("source").asText());
                assertEquals(SOURCE, listed.get("host").asText());
                JsonNode confirmed = daemon.events().await("SourceHealth for reverse DNS", Duration.ofSeconds(10),
                        e -> "SourceHealth".equals(e.path("type").asText()) && "fcrdns".equals(e.path("rule").asText()));
                assertEquals("pass", confirmed.get("action").asText(), confirmed.toString());

                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + daemon.httpPort() + "/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("sluice_source_unhealthy{check=\"dnsbl:bl.test\",source=\"s1\"} 1.0"), metrics);
                assertTrue(metrics.contains("sluice_source_unhealthy{check=\"fcrdns\",source=\"s1\"} 0.0"), metrics);

                HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + daemon.httpPort() + "/admin/doctor?domain=not..valid")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, bad.statusCode(), bad.body());
            }
        }
    }

    private static Dnsmasq.Builder zone(DkimKey key) {
        String record = DnsRecord.of(key).txtValue();
        return Dnsmasq.builder().zone("in-addr.arpa")
                .txt("good.test", "v=spf1 ip4:" + SOURCE + " -all")
                .txt("bounce.good.test", "v=spf1 ip4:" + SOURCE + " -all")
                .txt("s1._domainkey.good.test", record)
                .txt("_dmarc.good.test", "v=DMARC1; p=reject; rua=mailto:dmarc@good.test")
                .txt("_mta-sts.good.test", "v=STSv1; id=1")
                .txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=mailto:tls@good.test")
                .host("mta.good.test", SOURCE)
                .host("mx.good.test", "127.0.0.52")
                .mx("bounce.good.test", "mx.good.test", 10)
                .txt("warn.test", "v=spf1 ip4:" + SOURCE + " -all")
                .txt("s1._domainkey.warn.test", record)
                .txt("_dmarc.warn.test", "v=DMARC1; p=none; rua=mailto:dmarc@warn.test")
                .txt("_mta-sts.warn.test", "v=STSv1; id=1")
                .txt("_smtp._tls.warn.test", "v=TLSRPTv1; rua=mailto:tls@warn.test");
    }

    private static Path config(Path dir, Dnsmasq dns, Path pem, String doctorExtra) throws Exception {
        Path egress = dir.resolve("egress.yml");
        Files.writeString(egress, """
                sources:
                  s1: {address: %s, ehlo: mta.good.test}
                pools:
                  main: {sources: {s1: 1}}
                """.formatted(SOURCE));
        Path config = dir.resolve("sluice.yml");
        Files.writeString(config, """
                sluice:
                  dns:
                    servers: [ "127.0.0.1:%d" ]
                    timeout: 2s
                  egress:
                    file: %s
                  bounce:
                    domain: bounce.good.test
                    secret: a-secret-of-sixteen-or-more
                  dkim:
                    domains:
                      good.test:
                        selectors:
                          s1:
                            key-file: %s
                      warn.test:
                        selectors:
                          s1:
                            key-file: %s
                  doctor:
                    inbound-hosts: [ mx.good.test ]
                %s""".formatted(dns.port(), egress, pem, pem, doctorExtra));
        return config;
    }

    private static boolean hasFinding(JsonNode report, String check, String subject, String verdict) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("check").asText().equals(check) && f.get("subject").asText().equals(subject)
                    && f.get("verdict").asText().equalsIgnoreCase(verdict)) {
                return true;
            }
        }
        return false;
    }

    private static Result run(Path cwd, Path config, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLUICE_JAR", DaemonProcess.jar().toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().putAll(Map.of("SLUICE_CONFIG", config.toString()));
        pb.directory(cwd.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running: " + out);
        return new Result(p.exitValue(), out);
    }
}
