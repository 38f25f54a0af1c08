package io.sluice.daemon.egress.tls.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.daemon.TestClock;
import io.sluice.daemon.egress.tls.DomainTls;
import io.sluice.daemon.egress.tls.TlsPolicy;
import io.sluice.daemon.egress.tls.TlsPolicyResolver;
import io.sluice.protocol.client.PeerAuthentication;
import io.sluice.protocol.client.TlsMode;
import io.sluice.protocol.dane.DaneStatus;
import io.sluice.protocol.dane.TlsaRecord;
import io.sluice.protocol.dane.TlsaTrustManager;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DaneStatusSourceTest {
    private static final String SHA256 = "a".repeat(64);
    private static final TlsaRecord DANE_EE = TlsaRecord.parse("3 1 1 " + SHA256);
    private static final TlsaRecord PKIX_EE = TlsaRecord.parse("1 1 1 " + SHA256);

    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T06:00:00Z"));

    private DaneStatusSource sourceOf(Map<String, DaneStatus> byHost) {
        return new DaneStatusSource((domain, host) -> CompletableFuture.completedFuture(byHost.get(host)), clock);
    }

    private Optional<TlsPolicy> policy(DaneStatus status) {
        return sourceOf(Map.of("mx.example.test", status)).policy("Example.test", "mx.example.test").join();
    }

    @Test
    void usableTlsaRequiresTlsJudgedByTheTlsaRecords() {
        TlsPolicy p = policy(new DaneStatus.Usable(List.of(DANE_EE), List.of("mx.example.test"), "1 usable")).orElseThrow();
        assertEquals(TlsPolicy.Kind.DANE, p.kind());
        assertEquals("example.test", p.policyDomain());
        assertEquals(TlsMode.REQUIRED, p.tlsMode());
        assertInstanceOf(TlsaTrustManager.class, assertInstanceOf(PeerAuthentication.Delegated.class, p.authentication()).trust());
        assertEquals(List.of("3 1 1 " + SHA256), p.policyStrings());
    }

    @Test
    void onlyUnusableTlsaStillRequiresTlsButDoesNotAuthenticate() {
        TlsPolicy p = policy(new DaneStatus.UnusableOnly(List.of(PKIX_EE), "only PKIX")).orElseThrow();
        assertEquals(TlsPolicy.Kind.DANE, p.kind());
        assertTrue(p.tlsRequired());
        assertEquals(TlsMode.REQUIRED, p.tlsMode());
        assertInstanceOf(PeerAuthentication.Any.class, p.authentication());
        assertEquals(List.of("1 1 1 " + SHA256), p.policyStrings());
    }

    @Test
    void bogusAnswersGiveAPolicyNoCertificateSatisfies() {
        TlsPolicy p = policy(new DaneStatus.Bogus("bad RRSIG")).orElseThrow();
        assertEquals(TlsPolicy.Kind.DANE, p.kind());
        assertEquals(TlsMode.REQUIRED, p.tlsMode());
        var trust = assertInstanceOf(PeerAuthentication.Delegated.class, p.authentication()).trust();
        assertTrue(p.authentication().enforced());
        CertificateException refused = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[0], "RSA"));
        assertTrue(refused.getMessage().contains("bad RRSIG"), refused.getMessage());
    }

    @Test
    void insecureMeansNoDane() {
        assertEquals(Optional.empty(), policy(new DaneStatus.Insecure("MX RRset is not signed")));
    }

    @Test
    void brokenValidationDegradesToNoDaneAndAlarmsAtMostOnceAMinute() {
        Logger logger = (Logger) LoggerFactory.getLogger(DaneStatusSource.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            DaneStatusSource source = sourceOf(Map.of("mx.example.test", new DaneStatus.ValidationBroken("root stripped")));
            for (int i = 0; i < 5; i++) {
                assertEquals(Optional.empty(), source.policy("example.test", "mx.example.test").join());
            }
            clock.advance(Duration.ofSeconds(59));
            source.policy("example.test", "mx.example.test").join();
            assertEquals(1, errors(logs));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(Optional.empty(), source.policy("example.test", "mx.example.test").join());
            assertEquals(2, errors(logs));
            assertTrue(logs.list.get(0).getFormattedMessage().contains("root stripped"));
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void theResolverPutsDanePerHostAndABogusHostIsNeverUnprotected() {
        DaneStatusSource source = sourceOf(Map.of(
                "mx1.example.test", new DaneStatus.Usable(List.of(DANE_EE), List.of("mx1.example.test"), "usable"),
                "mx2.example.test", new DaneStatus.Bogus("bogus"),
                "mx3.example.test", new DaneStatus.Insecure("unsigned")));
        DomainTls tls = new TlsPolicyResolver(source, null)
                .resolve("example.test", List.of("mx1.example.test", "mx2.example.test", "mx3.example.test")).join();
        assertEquals(TlsPolicy.Kind.DANE, tls.policyFor("mx1.example.test").orElseThrow().kind());
        assertTrue(tls.policyFor("mx2.example.test").orElseThrow().tlsRequired());
        assertEquals(Optional.empty(), tls.policyFor("mx3.example.test"));
    }

    private static long errors(ListAppender<ILoggingEvent> logs) {
        return logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).count();
    }
}
