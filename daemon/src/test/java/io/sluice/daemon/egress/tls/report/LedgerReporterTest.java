package io.sluice.daemon.egress.tls.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.daemon.TestClock;
import io.sluice.daemon.egress.tls.TlsPolicy;
import io.sluice.daemon.egress.tls.TlsResult;
import io.sluice.daemon.egress.tls.TlsSessionResults;
import io.sluice.daemon.egress.tls.dane.DaneStatusSource;
import io.sluice.protocol.client.PeerAuthentication;
import io.sluice.protocol.dane.DaneStatus;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerReporterTest {
    private static final List<String> STS = List.of("version: STSv1", "mode: enforce", "mx: mx1.example.test", "max_age: 86400");

    @TempDir
    Path dir;

    @Test
    void everyResultTypeHasTheSameRfc8460NameOnBothSides() {
        for (TlsResult.ResultType t : TlsResult.ResultType.values()) {
            assertEquals(t.label(), SessionResult.fromWire(t.label()).wire());
        }
        for (TlsResult.PolicyType t : TlsResult.PolicyType.values()) {
            assertEquals(t.label(), PolicyType.fromWire(t.label()).wire());
        }
    }

    @Test
    void resultsAreCountedUnderTheirPolicyDomainPolicyAndMxHost() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            LedgerReporter reporter = new LedgerReporter(new TlsReports(ledger, null, true));
            for (int i = 0; i < 3; i++) {
                reporter.record(new TlsResult("example.test", TlsResult.PolicyType.STS, STS,
                        TlsResult.ResultType.SUCCESS, "mx1.example.test", null));
            }
            reporter.record(new TlsResult("example.test", TlsResult.PolicyType.STS, STS,
                    TlsResult.ResultType.CERTIFICATE_EXPIRED, "mx1.example.test", "expired"));
            reporter.record(new TlsResult("example.test", TlsResult.PolicyType.TLSA, List.of("3 1 1 abcd"),
                    TlsResult.ResultType.TLSA_INVALID, "mx2.example.test", "no match"));
            reporter.record(new TlsResult("example.test", TlsResult.PolicyType.STS, List.of(),
                    TlsResult.ResultType.STS_POLICY_FETCH_ERROR, null, "timeout"));

            List<DayCounts> days = ledger.countsFor(LocalDate.of(2026, 12, 7));
            assertEquals(1, days.size());
            Map<ReportedPolicy, Map<SessionResult, Long>> counts = days.get(0).counts();
            assertEquals(Map.of(SessionResult.SUCCESS, 3L, SessionResult.CERTIFICATE_EXPIRED, 1L),
                    counts.get(new ReportedPolicy("example.test", PolicyType.STS, STS, "mx1.example.test")));
            assertEquals(Map.of(SessionResult.TLSA_INVALID, 1L),
                    counts.get(new ReportedPolicy("example.test", PolicyType.TLSA, List.of("3 1 1 abcd"), "mx2.example.test")));
            assertEquals(Map.of(SessionResult.STS_POLICY_FETCH_ERROR, 1L),
                    counts.get(new ReportedPolicy("example.test", PolicyType.STS, List.of(), "")));
            assertEquals(3, days.get(0).total(SessionResult.SUCCESS));
        }
    }

    /* RFC 8460 §4.3.2.2: a bogus DNSSEC answer for the MX or TLSA lookup is dnssec-invalid, not the general validation-failure. */
    @Test
    void aBogusDaneHostsRefusedHandshakeIsCountedAsDnssecInvalid() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));
        DaneStatusSource dane = new DaneStatusSource((domain, host) -> CompletableFuture.completedFuture(
                new DaneStatus.Bogus("RRSIG over _25._tcp.mx.bogus.test TLSA does not verify")), clock, event -> { });
        TlsPolicy policy = dane.policy("bogus.test", "mx.bogus.test").join().orElseThrow();
        var trust = assertInstanceOf(PeerAuthentication.Delegated.class, policy.authentication()).trust();
        CertificateException refused = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[0], "EC"));
        // as JSSE hands it on: the trust manager's refusal is the handshake failure's cause
        SSLHandshakeException handshake = new SSLHandshakeException("certificate_unknown");
        handshake.initCause(refused);
        try (TlsReportLedger ledger = TlsReportLedger.open(dir, clock)) {
            TlsSessionResults results = new TlsSessionResults(new LedgerReporter(new TlsReports(ledger, null, true)));
            results.failed(policy, "mx.bogus.test", handshake);

            Map<ReportedPolicy, Map<SessionResult, Long>> counts = ledger.countsFor(LocalDate.of(2026, 12, 7)).get(0).counts();
            assertEquals(Map.of(SessionResult.DNSSEC_INVALID, 1L),
                    counts.get(new ReportedPolicy("bogus.test", PolicyType.TLSA, List.of(), "mx.bogus.test")));
        }
    }
}
