package io.sluice.daemon.egress.tls.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sluice.daemon.TestClock;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.ExternalTool;
import io.sluice.protocol.testing.SmtpSink;
import io.sluice.protocol.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day of sessions is counted, survives a restart of the ledger, is reported after midnight to
 * the domain's rua (found in real DNS) by mail to a real SMTP sink and by HTTPS POST to a
 * loopback receiver, and both copies are read back by scripts/tlsrpt-read.py, an independent
 * parser using only Python's standard library.
 */
class TlsReportRoundTripTest {
    private static final Path READER = Path.of(System.getProperty("sluice.repo", ".."), "scripts", "tlsrpt-read.py");
    private static final List<String> STS = List.of("version: STSv1", "mode: enforce", "mx: mx1.report.test", "max_age: 86400");

    @TempDir
    Path dir;

    @Test
    void aDayWithSuccessesAndFailuresIsReportedByMailAndHttpsAndReadsBackWithTheRightCounts() throws Exception {
        TestPki.Issued ca = TestPki.ca("TLS-RPT receiver CA");
        TestPki.Issued receiverCert = TestPki.server(ca, "localhost");
        List<byte[]> posted = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(receiverCert.serverContext()));
        https.createContext("/tlsrpt", exchange -> {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            posted.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        https.start();
        try (SmtpSink sink = SmtpSink.builder().dumpDir(Files.createDirectories(dir.resolve("sink"))).start();
             Dnsmasq dns = Dnsmasq.builder()
                     .txt("_smtp._tls.report.test", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test,https://localhost:"
                             + https.getAddress().getPort() + "/tlsrpt")
                     .start()) {
            TestClock clock = new TestClock(Instant.parse("2026-12-06T10:00:00Z"));
            Path ledgerDir = dir.resolve("tls-rpt");
            try (TlsReportLedger ledger = TlsReportLedger.open(ledgerDir, clock)) {
                for (int i = 0; i < 7; i++) {
                    ledger.record("report.test", PolicyType.STS, STS, "mx1.report.test", SessionResult.SUCCESS);
                }
                ledger.record("report.test", PolicyType.STS, STS, "mx1.report.test", SessionResult.CERTIFICATE_EXPIRED);
                ledger.record("report.test", PolicyType.STS, STS, "mx1.report.test", SessionResult.CERTIFICATE_EXPIRED);
                ledger.record("report.test", PolicyType.TLSA, List.of("3 1 1 abcd"), "mx2.report.test", SessionResult.SUCCESS);
                ledger.record("report.test", PolicyType.TLSA, List.of("3 1 1 abcd"), "mx2.report.test", SessionResult.TLSA_INVALID);
                ledger.record("quiet.test", PolicyType.NO_POLICY_FOUND, List.of(), "mx.quiet.test", SessionResult.SUCCESS);
            }

            // a restart: the counts come back from disk
            try (TlsReportLedger ledger = TlsReportLedger.open(ledgerDir, clock)) {
                clock.advance(Duration.ofHours(14).plusMinutes(30)); // 00:30 UTC the next day
                ledger.record("report.test", PolicyType.STS, STS, "mx1.report.test", SessionResult.SUCCESS); // today's, not reported
                TlsReportSchedule schedule = new TlsReportSchedule(ledger,
                        new TlsReportBuilder("Sluice Test", "mailto:postmaster@sender.test", "mta.sender.test", "node-7"),
                        new RuaLookup(List.of(dns.address()), Duration.ofSeconds(2)),
                        List.of(new MailReportTransport("tlsrpt-noreply@sender.test", smtpTo(sink.address()), clock),
                                new HttpsReportTransport(trusting(ca), Duration.ofSeconds(5))),
                        clock, Duration.ofMinutes(10), Duration.ofDays(3));

                TlsReportSchedule.Run run = schedule.runDue();
                assertEquals(1, run.sent(), run.problems().toString());
                assertEquals(1, run.noPolicy());
                assertEquals(List.of(LocalDate.parse("2026-12-07")), ledger.days(), "the reported day is gone, today stays");
                assertEquals(0, schedule.runDue().sent(), "a day is reported once");
            }

            List<SmtpSink.Message> mail = sink.awaitMessages(1, Duration.ofSeconds(10));
            assertEquals(List.of("tlsrpt@reports.test"), mail.get(0).rcptTo());
            JsonNode byMail = read("mail", mail.get(0).file());
            assertEquals(1, posted.size());
            assertEquals("application/tlsrpt+gzip", contentTypes.get(0));
            Path body = Files.write(dir.resolve("posted.json.gz"), posted.get(0));
            JsonNode byHttps = read("gzip", body);

            for (JsonNode report : List.of(byMail, byHttps)) {
                assertEquals("report.test", report.path("policy-domain").asText());
                assertEquals("2026-12-06_report.test_node-7@mta.sender.test", report.path("report-id").asText());
                assertEquals("2026-12-06T00:00:00Z", report.path("date-range").path("start-datetime").asText());
                assertEquals("2026-12-06T23:59:59Z", report.path("date-range").path("end-datetime").asText());
                Map<String, JsonNode> policies = new java.util.HashMap<>();
                report.path("policies").forEach(p -> policies.put(p.path("policy-type").asText(), p));
                assertEquals(2, policies.size());
                JsonNode sts = policies.get("sts");
                assertEquals(7, sts.path("success").asInt());
                assertEquals(2, sts.path("failure").asInt());
                assertEquals(2, sts.path("failures").path("certificate-expired").asInt());
                assertEquals(STS.size(), sts.path("policy-string").size());
                JsonNode tlsa = policies.get("tlsa");
                assertEquals(1, tlsa.path("success").asInt());
                assertEquals(1, tlsa.path("failures").path("tlsa-invalid").asInt());
                assertEquals("mx2.report.test", tlsa.path("mx-host").get(0).asText());
            }
            assertEquals("mta.sender.test", byMail.path("submitter").asText());
        } finally {
            https.stop(0);
        }
    }

    @Test
    void aTornLastLineFromACrashIsCutOffAndTheRestCounts() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-06T10:00:00Z"));
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            ledger.record("a.test", PolicyType.NO_POLICY_FOUND, List.of(), "mx.a.test", SessionResult.SUCCESS);
            ledger.record("a.test", PolicyType.NO_POLICY_FOUND, List.of(), "mx.a.test", SessionResult.SUCCESS);
        }
        Files.writeString(dir.resolve("2026-12-06.tlsrpt"), "K\t1\t{\"dom", java.nio.file.StandardOpenOption.APPEND);
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            DayCounts counts = ledger.countsFor(LocalDate.parse("2026-12-06")).get(0);
            assertEquals(2, counts.total(SessionResult.SUCCESS));
            ledger.record("a.test", PolicyType.NO_POLICY_FOUND, List.of(), "mx.a.test", SessionResult.STARTTLS_NOT_SUPPORTED);
        }
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            DayCounts counts = ledger.countsFor(LocalDate.parse("2026-12-06")).get(0);
            assertEquals(2, counts.total(SessionResult.SUCCESS));
            assertEquals(1, counts.total(SessionResult.STARTTLS_NOT_SUPPORTED));
        }
    }

    @Test
    void aDamagedLineCostsOnlyItsOwnCount() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-06T10:00:00Z"));
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            ledger.record("c.test", PolicyType.NO_POLICY_FOUND, List.of(), "mx.c.test", SessionResult.SUCCESS);
        }
        Files.writeString(dir.resolve("2026-12-06.tlsrpt"), "K\t7\t{not json}\n7\nxyz\n0\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            ledger.record("c.test", PolicyType.STS, List.of("mode: enforce"), "mx.c.test", SessionResult.SUCCESS);
        }
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            DayCounts counts = ledger.countsFor(LocalDate.parse("2026-12-06")).get(0);
            assertEquals(3, counts.total(SessionResult.SUCCESS));
            assertEquals(2, counts.counts().size(), "the new key did not reuse a damaged key's id");
        }
    }

    @Test
    void aDomainWhoseReceiversAllFailIsRetriedAtTheNextRun() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-06T10:00:00Z"));
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            ledger.record("b.test", PolicyType.NO_POLICY_FOUND, List.of(), "mx.b.test", SessionResult.SUCCESS);
            clock.advance(Duration.ofDays(1));
            List<String> sent = new ArrayList<>();
            boolean[] down = {true};
            ReportTransport flaky = new ReportTransport() {
                @Override
                public String scheme() {
                    return "https";
                }

                @Override
                public void send(TlsReport report, java.net.URI rua) throws IOException {
                    if (down[0]) {
                        throw new IOException("connection refused");
                    }
                    sent.add(report.reportId());
                }
            };
            TlsReportSchedule schedule = new TlsReportSchedule(ledger, new TlsReportBuilder("o", "c", "s", "n"),
                    d -> ReportingPolicy.fromTxt(List.of("v=TLSRPTv1;rua=https://r.test/x")), List.of(flaky),
                    clock, Duration.ZERO, Duration.ofDays(3));
            assertEquals(1, schedule.runDue().failed());
            down[0] = false;
            assertEquals(1, schedule.runDue().sent());
            assertEquals(List.of("2026-12-06_b.test_n@s"), sent);
        }
    }

    @Test
    void onlyOneTlsrptRecordWithAUsableRuaCounts() {
        assertTrue(ReportingPolicy.fromTxt(List.of("v=TLSRPTv1; rua=mailto:a@b.test", "v=TLSRPTv1; rua=mailto:c@d.test")).isEmpty());
        assertTrue(ReportingPolicy.fromTxt(List.of("v=spf1 -all")).isEmpty());
        assertTrue(ReportingPolicy.fromTxt(List.of("v=TLSRPTv1; rua=ftp://x.test/")).isEmpty());
        assertEquals(2, ReportingPolicy.fromTxt(List.of("v=spf1 -all", "v=TLSRPTv1 ; rua=mailto:a@b.test, https://r.test/p"))
                .orElseThrow().rua().size());
    }

    private static JsonNode read(String form, Path file) throws Exception {
        ExternalTool.require("python3");
        Process p = new ProcessBuilder("python3", READER.toString(), form, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return new ObjectMapper().readTree(out);
    }

    private static SSLContext trusting(TestPki.Issued ca) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /* A plain SMTP hand-over to the sink, standing in for the daemon's intake in this unit test. */
    private static ReportInjection smtpTo(InetSocketAddress sink) {
        return (envelope, message) -> {
            try (Socket s = new Socket(sink.getAddress(), sink.getPort())) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                expect(in, "220");
                command(out, in, "EHLO sender.test", "250");
                command(out, in, "MAIL FROM:<" + envelope.sender() + ">", "250");
                for (String r : envelope.recipients()) {
                    command(out, in, "RCPT TO:<" + r + ">", "250");
                }
                command(out, in, "DATA", "354");
                String text = new String(message, StandardCharsets.UTF_8).replace("\r\n.", "\r\n..");
                out.write(text.getBytes(StandardCharsets.UTF_8));
                command(out, in, (text.endsWith("\r\n") ? "" : "\r\n") + ".", "250");
                command(out, in, "QUIT", "221");
            }
        };
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null || !line.startsWith(code)) {
                throw new IOException("expected " + code + ", got " + line);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
    }
}
