package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The egress engine against real receivers on several loopback addresses, with MX records for
 * fake providers served by dnsmasq: warm-up caps per source, provider shaping measured at the
 * receiver, adaptive backoff on a Yahoo TSS04 reply, and MX records that cannot be used.
 */
class EgressEngineIT {

    static void send(DaemonProcess daemon, List<String> recipients, String headers) throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            assertEquals(250, smtp.command("MAIL FROM:<sender@src.test>").code());
            for (String r : recipients) {
                assertEquals(250, smtp.command("RCPT TO:<" + r + ">").code(), r);
            }
            assertEquals(250, smtp.data(headers + "Subject: egress\r\n\r\nbody\r\n").code());
        }
    }

    static List<String> recipients(String prefix, String domain, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i + "@" + domain).toList();
    }

    /** X-Client-Addr of each transaction smtp-sink dumped: the source address that sent it. */
    static Map<String, Long> bySource(SmtpSink sink) {
        return sink.messages().stream().map(m -> {
            try {
                return Files.readAllLines(m.file()).stream().filter(l -> l.startsWith("X-Client-Addr: "))
                        .findFirst().orElse("?").substring("X-Client-Addr: ".length()).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void warmupCapsSendExactlyTheCapFromANewSourceAndTheRestWaitsOrGoesToThePoolsOthers(@TempDir Path dir)
            throws Exception {
        int port = FreePorts.tcp();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Path egress = dir.resolve("egress.yml");
        Files.writeString(egress, """
                default-pool: mixed
                schedules:
                  five: {daily: [5]}
                  three: {daily: [3]}
                sources:
                  new:    {address: 127.0.0.21, ehlo: new.sluice.test, warmup: {schedule: five, start: %s}}
                  old:    {address: 127.0.0.22, ehlo: old.sluice.test}
                  lonely: {address: 127.0.0.23, warmup: {schedule: three, start: %s}}
                pools:
                  mixed: {sources: {new: 1, old: 1}}
                  solo:  {sources: {lonely: 1}}
                """.formatted(today, today));
        try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.31", port).start();
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx.gmail.test", "127.0.0.31")
                     .mx("gmail.test", "mx.gmail.test", 10)
                     .mx("googlemail.test", "mx.gmail.test", 10)
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.egress.file", egress)
                     .start()) {
            send(daemon, recipients("a", "gmail.test", 20), "");
            send(daemon, recipients("b", "googlemail.test", 10), "");
            send(daemon, recipients("c", "gmail.test", 10), "X-Sluice-Pool: solo\r\n");

            sink.awaitMessages(33, Duration.ofSeconds(60));
            Thread.sleep(3000); // what waits keeps waiting
            Map<String, Long> counts = bySource(sink);
            assertEquals(Map.of("127.0.0.21", 5L, "127.0.0.22", 25L, "127.0.0.23", 3L), counts,
                    "the new source sends exactly its cap, the old one the rest; the lonely one its cap only");
            EventLogReader events = daemon.events();
            assertTrue(events.ofType("Bounce").isEmpty(), "nobody is bounced for a spent warm-up budget");
            assertTrue(events.ofType("TransientFailure").isEmpty(), "mail waiting for budget is not an attempt");
            JsonNode delivered = events.ofType("Delivery").get(0);
            assertEquals("default", delivered.path("provider").asText(), delivered.toString());

            // a restart in the middle of the day does not hand out the day's cap again
            daemon.stop(); // SIGTERM: progress is saved on the way out (and every second before)
            String progress = Files.readString(daemon.spoolDir().resolve("warmup-progress.txt"));
            assertTrue(progress.contains("lonely"), progress);
            daemon.startAgain();
            Thread.sleep(4000);
            assertEquals(3L, bySource(sink).get("127.0.0.23"), "still waiting after the restart");
            assertEquals(33, sink.messages().size());
        }
    }

    @Test
    void providerLimitsHoldAtTheReceiverAndARateIsNearlyReached(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                providers:
                  - name: yahoo
                    mx-suffixes: [.yahoo.test]
                    max-connections-per-path: 2
                    max-connections: 3
                    max-deliveries-per-connection: 5
                    message-rate: 10/s
                """);
        int n = 60;
        try (CountingSink yahoo = new CountingSink("127.0.0.32", port, null);
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx1.yahoo.test", "127.0.0.32")
                     .host("mx2.yahoo.test", "127.0.0.32")
                     .mx("yahoo.test", "mx1.yahoo.test", 10)
                     .mx("aol.test", "mx2.yahoo.test", 10) // another site, the same provider
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.egress.rules-file", rules)
                     .start()) {
            send(daemon, recipients("y", "yahoo.test", n / 2), "");
            send(daemon, recipients("a", "aol.test", n / 2), "");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (yahoo.arrivals.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(n, yahoo.arrivals.size());
            assertTrue(yahoo.peak.get() <= 3, "provider connection cap 3, seen " + yahoo.peak.get());
            // admissions are spaced by the rate exactly; arrivals carry a few ms of network jitter
            int inOneSecond = yahoo.maxInWindow(1_000_000_000L);
            assertTrue(inOneSecond <= 11, "10/s, seen " + inOneSecond + " within one second");
            List<Long> times = yahoo.arrivals.stream().map(CountingSink.Arrival::nanos).sorted().toList();
            double rate = (n - 1) / ((times.get(n - 1) - times.get(0)) / 1e9);
            assertTrue(rate <= 10.5, "overall rate " + rate);
            assertTrue(rate >= 9.0, "at least 90% of the 10/s limit with backlog, got " + rate);
        }
    }

    @Test
    void aYahooTss04ReplySuspendsThatPathWhileOtherProvidersFlow(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                providers:
                  - name: yahoo
                    mx-suffixes: [.yahoo.test]
                replies:
                  - name: yahoo-tss04-test
                    match: '\\bTSS04\\b'
                    action: suspend-path
                    duration: 1h
                """);
        try (CountingSink yahoo = new CountingSink("127.0.0.33", port, rcpt ->
                "421 4.7.0 [TSS04] Messages from 127.0.0.1 temporarily deferred due to unexpected volume or user complaints");
             SmtpSink gmail = SmtpSink.builder().listen("127.0.0.34", port).start();
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx.yahoo.test", "127.0.0.33").mx("yahoo.test", "mx.yahoo.test", 10)
                     .host("mx.gmail.test", "127.0.0.34").mx("gmail.test", "mx.gmail.test", 10)
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.delivery.retry-initial", "1s")
                     .set("sluice.delivery.destination-down-for", "1s")
                     .set("sluice.egress.rules-file", rules)
                     .start()) {
            send(daemon, recipients("y", "yahoo.test", 10), "");
            send(daemon, recipients("g", "gmail.test", 10), "");
            EventLogReader events = daemon.events();
            JsonNode suspension = events.await("suspension", Duration.ofSeconds(30),
                    e -> "Suspension".equals(e.path("type").asText()));
            assertEquals("path:default>mx.yahoo.test", suspension.path("scope").asText(), suspension.toString());
            assertEquals("yahoo-tss04-test", suspension.path("rule").asText());
            assertEquals("yahoo", suspension.path("provider").asText());
            assertEquals(10, gmail.awaitMessages(10, Duration.ofSeconds(30)).size(), "other providers keep flowing");
            int sessions = yahoo.sessions.get();
            Thread.sleep(5000); // retries are due every second or so: they wait for the suspension
            assertEquals(sessions, yahoo.sessions.get(), "no new session while the path is suspended");
            assertTrue(sessions <= 8, "stopped at the first TSS04, not one session per recipient: " + sessions);
            assertTrue(events.ofType("Bounce").isEmpty());
        }
    }

    @Test
    void recipientsOfOneMessageAtOneSiteShareATransactionAndBrokenStartTlsIsRemembered(@TempDir Path dir)
            throws Exception {
        int port = FreePorts.tcp();
        try (CountingSink mx = new CountingSink("127.0.0.36", port, null, true);
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx.hosted.test", "127.0.0.36")
                     .mx("one.test", "mx.hosted.test", 10)
                     .mx("two.test", "mx.hosted.test", 10) // same site: shares the transaction
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .start()) {
            List<String> to = new java.util.ArrayList<>(recipients("r", "one.test", 3));
            to.addAll(recipients("s", "two.test", 2));
            send(daemon, to, "");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (daemon.events().ofType("Delivery").size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(5, daemon.events().ofType("Delivery").size());
            int tlsTries = mx.startTls.get();
            assertTrue(tlsTries >= 1, "STARTTLS was offered and tried");
            int transactions = mx.arrivals.size();
            assertTrue(transactions < 5, "several RCPT per transaction: " + transactions + " transactions for 5");
            assertTrue(mx.arrivals.stream().anyMatch(a -> a.recipients() > 1), mx.arrivals.toString());

            send(daemon, List.of("later@one.test"), ""); // a new connection remembers the broken TLS
            while (daemon.events().ofType("Delivery").size() < 6 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(6, daemon.events().ofType("Delivery").size());
            assertEquals(tlsTries, mx.startTls.get(), "no more STARTTLS to a host whose TLS is broken");
        }
    }

    @Test
    void mxRecordsThatCannotBeUsedAreEachHandled(@TempDir Path dir) throws Exception {
        try (Dnsmasq dns = Dnsmasq.builder()
                     .mx("nowhere.test", "ghost.nowhere.test", 10) // an MX host without address
                     .host("mx.private.test", "127.0.0.35").mx("private.test", "mx.private.test", 10)
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.allow-private-mx", "false")
                     .set("sluice.delivery.retry-initial", "1m")
                     .start()) {
            send(daemon, List.of("a@nowhere.test", "b@private.test"), "");
            EventLogReader events = daemon.events();
            JsonNode ghost = events.await("MX without address deferred", Duration.ofSeconds(30),
                    EventLogReader.type("TransientFailure", "a@nowhere.test"));
            assertEquals("4.4.3", ghost.path("response").path("enhanced_code").asText(), ghost.toString());
            JsonNode priv = events.await("private MX bounced", Duration.ofSeconds(30),
                    EventLogReader.type("Bounce", "b@private.test"));
            assertEquals("5.4.6", priv.path("response").path("enhanced_code").asText(), priv.toString());
        }
    }
}
