package io.sluice.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.daemon.egress.tls.report.PolicyType;
import io.sluice.daemon.egress.tls.report.SessionResult;
import io.sluice.daemon.egress.tls.report.TlsReportLedger;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon reports yesterday's TLS sessions: counts left in its ledger (as a previous run would
 * have left them) go out after midnight as an RFC 8460 mail through the daemon's own intake and
 * egress, DKIM-signed for the From domain, to the rua found in DNS; the sink's copy is read back
 * by scripts/tlsrpt-read.py and verified by dkimpy.
 */
class TlsReportIT {
    private static final Path READER = Path.of(System.getProperty("sluice.repo", ".."), "scripts", "tlsrpt-read.py");

    @Test
    void yesterdaysCountsAreReportedByDkimSignedMailThroughTheDaemon(@TempDir Path dir) throws Exception {
        DkimSigningIT.Verifier.DKIMPY.requireAvailable();
        DkimKey key = KeyGenerator.ed25519();
        Path pem = dir.resolve("k.pem");
        KeyGenerator.writePem(key, pem);
        Path ledgerDir = dir.resolve("tls-rpt");
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        Clock then = Clock.fixed(yesterday.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        try (TlsReportLedger ledger = TlsReportLedger.open(ledgerDir, then)) {
            for (int i = 0; i < 5; i++) {
                ledger.record("report.test", PolicyType.TLSA, List.of("3 1 1 00ff"), "mx.report.test", SessionResult.SUCCESS);
            }
            for (int i = 0; i < 3; i++) {
                ledger.record("report.test", PolicyType.TLSA, List.of("3 1 1 00ff"), "mx.report.test",
                        SessionResult.VALIDATION_FAILURE);
            }
        }
        try (SmtpSink sink = SmtpSink.start();
             Dnsmasq dns = Dnsmasq.builder().txt("_smtp._tls.report.test", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test").start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.spool.durability", "mmap")
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.cluster.node-id", "node-a")
                     .set("sluice.dkim.domains.sender.test.selectors.k1.key-file", pem)
                     .set("sluice.tls-report.from", "tlsrpt-noreply@sender.test")
                     .set("sluice.tls-report.submitter", "mta.sender.test")
                     .set("sluice.tls-report.delay", "0s")
                     .set("sluice.tls-report.dir", ledgerDir)
                     .start()) {
            SmtpSink.Message mail = sink.awaitMessages(1, Duration.ofSeconds(60)).get(0);
            assertEquals(List.of("tlsrpt@reports.test"), mail.rcptTo());
            assertEquals("tlsrpt-noreply@sender.test", mail.mailFrom());

            DkimSigningIT.Verifier.DKIMPY.assertPasses("TLS report", mail.content(),
                    new DkimSigningIT.Expected("sender.test", "k1", DnsRecord.of(key).txtValue()));
            JsonNode report = read(mail.file());
            assertEquals("report.test", report.path("policy-domain").asText());
            assertEquals(yesterday + "_report.test_node-a@mta.sender.test", report.path("report-id").asText());
            JsonNode tlsa = report.path("policies").get(0);
            assertEquals("tlsa", tlsa.path("policy-type").asText());
            assertEquals(5, tlsa.path("success").asInt());
            assertEquals(3, tlsa.path("failures").path("validation-failure").asInt());
            assertTrue(report.path("dkim-signed").asBoolean());
            Eventually.until("the reported day's ledger file is deleted", Duration.ofSeconds(10),
                    () -> !Files.exists(ledgerDir.resolve(yesterday + ".tlsrpt")));
        }
    }

    private static JsonNode read(Path file) throws Exception {
        Process p = new ProcessBuilder("python3", READER.toString(), "mail", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return new ObjectMapper().readTree(out);
    }
}
