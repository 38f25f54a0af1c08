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
import java.util.List;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real daemons and one Redis: a warming source both nodes send from (the same address) sends
 * its day's cap in total, not per node, and the rest waits; an operator's suspend on one node holds
 * the other back too, and a resume on the other lets both go again.
 */
class ClusterWarmupIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static DaemonProcess node(Path dir, String id, RedisServer redis, String prefix, int dnsPort, int mxPort,
                              Path egress) throws Exception {
        DaemonProcess.Builder b = DaemonProcess.in(dir.resolve(id))
                .set("sluice.dns.servers", "127.0.0.1:" + dnsPort)
                .set("sluice.delivery.port", mxPort)
                .set("sluice.cluster.redis.uri", redis.uri())
                .set("sluice.cluster.key-prefix", prefix)
                .set("sluice.cluster.node-id", id);
        if (egress != null) {
            b.set("sluice.egress.file", egress);
        }
        return b.start();
    }

    static JsonNode admin(DaemonProcess daemon, String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /* The egress file both nodes use: one source on 127.0.0.2, on day 1 of a schedule capped at {@code cap}. */
    private static Path warmingSource(Path dir, int cap) throws java.io.IOException {
        Path egress = dir.resolve("egress.yml");
        Files.writeString(egress, """
                schedules:
                  first-day: {daily: [%d]}
                sources:
                  shared-ip: {address: 127.0.0.2, warmup: {schedule: first-day, start: %s}}
                pools:
                  main: {sources: {shared-ip: 1}}
                """.formatted(cap, LocalDate.now(ZoneOffset.UTC)));
        return egress;
    }

    @Test
    void aWarmingSourceSharedByTwoNodesSendsItsCapInTotal(@TempDir Path dir) throws Exception {
        int cap = 40;
        int perNode = 70;
        int port = FreePorts.tcp();
        Path egress = warmingSource(dir, cap);
        String prefix = RedisServer.freshPrefix();
        try (RedisServer redis = RedisServer.shared(dir.resolve("redis"));
             SmtpSink sink = SmtpSink.builder().listen("127.0.0.51", port).start();
             Dnsmasq dns = Dnsmasq.builder().host("mx.warm.test", "127.0.0.51").mx("warm.test", "mx.warm.test", 10).start();
             DaemonProcess a = node(dir, "a", redis, prefix, dns.port(), port, egress);
             DaemonProcess b = node(dir, "b", redis, prefix, dns.port(), port, egress)) {
            for (int i = 0; i < perNode / 10; i++) {
                a.mail().send(MailSender.recipients("a" + i + "-", "warm.test", 10), "");
                b.mail().send(MailSender.recipients("b" + i + "-", "warm.test", 10), "");
            }
            long settled = awaitSettled(sink, cap, Duration.ofSeconds(90), Duration.ofSeconds(5));
            assertEquals(cap, settled, "the day's cap in total at the sink, not per node; by source "
                    + SinkWaits.bySource(sink));
            assertEquals(java.util.Map.of("127.0.0.2", (long) cap), SinkWaits.bySource(sink));
            long deliveredA = a.events().ofType("Delivery").size();
            long deliveredB = b.events().ofType("Delivery").size();
            assertEquals(cap, deliveredA + deliveredB, "a " + deliveredA + ", b " + deliveredB);
            assertTrue(a.events().ofType("Bounce").isEmpty() && b.events().ofType("Bounce").isEmpty(),
                    "nothing is bounced for a spent budget");
            long waiting = admin(a, "GET", "/admin/queues", null).path("waiting").asLong()
                    + admin(b, "GET", "/admin/queues", null).path("waiting").asLong();
            assertEquals(2L * perNode - cap, waiting, "the rest waits for tomorrow's budget");
            System.out.printf("cluster warm-up: cap %d, sent %d (node a %d, node b %d), waiting %d%n",
                    cap, settled, deliveredA, deliveredB, waiting);
        }
    }

    @Test
    void redisKilledMidRunAndRestartedEmptyTheCapHoldsWithinTheOutageBoundAndNothingIsLost(@TempDir Path dir)
            throws Exception {
        int cap = 60;
        double share = 0.25;
        int perNode = 100;
        int port = FreePorts.tcp();
        Path egress = warmingSource(dir, cap);
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                providers:
                  - name: slow
                    mx-suffixes: [.warm.test]
                    message-rate: 10/s
                """);
        String prefix = RedisServer.freshPrefix();
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"));
             SmtpSink sink = SmtpSink.builder().listen("127.0.0.53", port).start();
             Dnsmasq dns = Dnsmasq.builder().host("mx.warm.test", "127.0.0.53").mx("warm.test", "mx.warm.test", 10).start()) {
            DaemonProcess[] nodes = new DaemonProcess[2];
            try {
                for (int i = 0; i < 2; i++) {
                    nodes[i] = DaemonProcess.in(dir.resolve("node" + i))
                            .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                            .set("sluice.delivery.port", port)
                            .set("sluice.egress.file", egress)
                            .set("sluice.egress.rules-file", rules)
                            .set("sluice.cluster.redis.uri", redis.uri())
                            .set("sluice.cluster.key-prefix", prefix)
                            .set("sluice.cluster.outage-share", share)
                            .set("logger.levels.io.sluice.daemon.cluster", "DEBUG")
                            .start();
                }
                for (int i = 0; i < perNode / 10; i++) {
                    for (DaemonProcess n : nodes) {
                        n.mail().send(MailSender.recipients("n" + n.httpPort() + "-" + i + "-", "warm.test", 10), "");
                    }
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (SinkWaits.recipientsAt(sink) < 10 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long beforeKill = SinkWaits.recipientsAt(sink);
                redis.kill();
                Thread.sleep(4000);
                long duringOutage = SinkWaits.recipientsAt(sink) - beforeKill;
                redis.restart(); // empty: the nodes' claims are all it will know
                for (DaemonProcess n : nodes) {
                    awaitLog(n, "is reachable again", Duration.ofSeconds(60));
                }
                long total = awaitSettled(sink, cap, Duration.ofSeconds(90), Duration.ofSeconds(5));
                long bound = cap + 2 * (long) (share * cap);
                System.out.printf("cluster warm-up, Redis killed after %d sent: %d more during the 4 s outage, "
                        + "%d in total (cap %d, documented bound %d)%n", beforeKill, duringOutage, total, cap, bound);
                assertTrue(total >= cap, "delivery went on to the cap after Redis returned: " + total);
                assertTrue(total <= bound, "within cap + nodes x share x cap: " + total);
                long delivered = 0;
                long waiting = 0;
                for (DaemonProcess n : nodes) {
                    assertTrue(n.events().ofType("Bounce").isEmpty(), "nothing bounced");
                    delivered += n.events().ofType("Delivery").size();
                    waiting += admin(n, "GET", "/admin/queues", null).path("waiting").asLong();
                }
                assertEquals(total, delivered);
                assertEquals(2L * perNode, delivered + waiting, "nothing lost: delivered + waiting");
            } finally {
                for (DaemonProcess n : nodes) {
                    if (n != null) {
                        n.close();
                        Path keep = Path.of("target", "cluster-it-logs");
                        Files.createDirectories(keep);
                        Files.copy(n.log(), keep.resolve("node-" + n.httpPort() + ".log"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    static void awaitLog(DaemonProcess daemon, String text, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!Files.readString(daemon.log()).contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in the log within " + within);
            Thread.sleep(100);
        }
    }

    /** Recipients at the sink once the count has not moved for {@code quiet} (at least {@code atLeast} first). */
    static long awaitSettled(SmtpSink sink, long atLeast, Duration within, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long seen = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = SinkWaits.recipientsAt(sink);
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            } else if (now >= atLeast && System.nanoTime() - since >= quiet.toNanos()) {
                return now;
            }
            Thread.sleep(100);
        }
        return SinkWaits.recipientsAt(sink);
    }

    @Test
    void aSuspendOnOneNodeHoldsTheOtherBackAndAResumeOnTheOtherFreesBoth(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        String prefix = RedisServer.freshPrefix();
        try (RedisServer redis = RedisServer.shared(dir.resolve("redis"));
             SmtpSink sink = SmtpSink.builder().listen("127.0.0.52", port).start();
             Dnsmasq dns = Dnsmasq.builder().host("mx.hold.test", "127.0.0.52").mx("hold.test", "mx.hold.test", 10).start();
             DaemonProcess a = node(dir, "a", redis, prefix, dns.port(), port, null);
             DaemonProcess b = node(dir, "b", redis, prefix, dns.port(), port, null)) {
            long asked = System.nanoTime();
            admin(a, "POST", "/admin/suspend", "{\"scope\":\"domain:hold.test\",\"duration\":\"1h\"}");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!admin(b, "GET", "/admin/suspensions", null).toString().contains("domain:hold.test")) {
                assertTrue(System.nanoTime() < deadline, "b did not learn the hold within 10 s");
                Thread.sleep(20);
            }
            System.out.printf("cluster hold: a suspend on node a is in force on node b after %d ms%n",
                    (System.nanoTime() - asked) / 1_000_000);

            a.mail().send(MailSender.recipients("a", "hold.test", 5), "");
            b.mail().send(MailSender.recipients("b", "hold.test", 5), "");
            // each node holds its five in their scheduled queue: placed nowhere, sent nowhere
            for (DaemonProcess n : List.of(a, b)) {
                Eventually.until("five held on the node at " + n.httpPort(), Duration.ofSeconds(30),
                        () -> admin(n, "GET", "/admin/queues", null).path("waiting").asInt() == 5);
            }
            assertEquals(0, SinkWaits.recipientsAt(sink), "held on both nodes");

            admin(b, "POST", "/admin/resume", "{\"scope\":\"domain:hold.test\"}");
            SinkWaits.awaitRecipients(sink, 10, Duration.ofSeconds(30));
            for (int i = 0; i < 5; i++) { // the event log may trail the sink a little
                a.events().await("a delivers after b's resume", Duration.ofSeconds(30),
                        EventLogReader.type("Delivery", "a" + i + "@hold.test"));
                b.events().await("b delivers after its resume", Duration.ofSeconds(30),
                        EventLogReader.type("Delivery", "b" + i + "@hold.test"));
            }
            assertEquals(0, admin(a, "GET", "/admin/suspensions", null).size());
        }
    }
}
