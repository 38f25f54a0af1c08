package io.sluice.daemon.egress.tls.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sluice.daemon.TestClock;
import io.sluice.daemon.config.EventSettings;
import io.sluice.daemon.config.WebhookSettings;
import io.sluice.daemon.egress.tls.DomainTls;
import io.sluice.daemon.egress.tls.TlsPolicy;
import io.sluice.daemon.egress.tls.TlsPolicyResolver;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.operate.events.WebhookShipper;
import io.sluice.protocol.client.PeerAuthentication;
import io.sluice.protocol.client.TlsMode;
import io.sluice.protocol.dane.DaneStatus;
import io.sluice.protocol.dane.TlsaRecord;
import io.sluice.protocol.dane.TlsaTrustManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DaneStatusSourceTest {
    private static final String SHA256 = "a".repeat(64);
    private static final TlsaRecord DANE_EE = TlsaRecord.parse("3 1 1 " + SHA256);
    private static final TlsaRecord PKIX_EE = TlsaRecord.parse("1 1 1 " + SHA256);

    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T06:00:00Z"));
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private DaneStatusSource sourceOf(Map<String, DaneStatus> byHost) {
        return new DaneStatusSource((domain, host) -> CompletableFuture.completedFuture(byHost.get(host)), clock,
                events::add);
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
        assertEquals(List.of(), events, "no alarm");
    }

    @Test
    void bogusIsNoAlarm() {
        policy(new DaneStatus.Bogus("bad RRSIG"));
        assertEquals(List.of(), events, "a bogus domain defers alone; only broken validation is an alarm");
    }

    /* The alarm reaches the event file and the webhook as every event does: the real EventLog and WebhookShipper. */
    @Test
    void theAlarmIsWrittenToTheEventLogAndShippedToTheWebhook(@TempDir Path dir) throws Exception {
        List<String> posted = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/events", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        Path file = dir.resolve("events.jsonl");
        EventLog log = new EventLog(new EventSettings(file.toString(), 1 << 20, Duration.ofDays(1), 2, 1000,
                Duration.ofSeconds(1), 0), clock);
        WebhookShipper shipper = new WebhookShipper(new WebhookSettings("http://127.0.0.1:" + hook.getAddress().getPort()
                + "/events", "s3cret", 10, Duration.ofSeconds(5), Duration.ofSeconds(1)), log);
        try {
            DaneStatusSource source = new DaneStatusSource((domain, host) -> CompletableFuture.completedFuture(
                    new DaneStatus.ValidationBroken("the anchor's DNSKEY RRset does not validate")), clock, log::publish);
            assertEquals(Optional.empty(), source.policy("example.test", "mx.example.test").join());
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (posted.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        } finally {
            shipper.close();
            log.close();
            hook.stop(0);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals("DaneValidationBroken", line.path("type").asText());
        assertEquals("example.test", line.path("site").asText());
        assertEquals("mx.example.test", line.path("host").asText());
        assertEquals("the anchor's DNSKEY RRset does not validate", line.path("note").asText());
        assertEquals(1, posted.size(), "one webhook batch: " + posted);
        JsonNode batch = new ObjectMapper().readTree(posted.get(0));
        assertEquals(line, batch.get(0), "the webhook carries the event as written");
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
            assertEquals(2, events.size(), "each alarm is an event too: " + events);
            Event first = events.get(0);
            assertEquals("DaneValidationBroken", first.type());
            assertEquals(Instant.parse("2026-12-07T06:00:00Z"), first.timestamp());
            assertEquals("example.test", first.site());
            assertEquals("mx.example.test", first.host());
            assertEquals("root stripped", first.note());
            assertEquals(Instant.parse("2026-12-07T06:01:00Z"), events.get(1).timestamp());
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
