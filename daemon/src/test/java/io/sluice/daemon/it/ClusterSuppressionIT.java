package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9: a suppression added on node A is refused at ingress on node B, through one Redis —
 * within 10 s each, p50/p99 printed — and a removal lifts it there too. With Redis killed, B
 * still refuses what it knew; what A added meanwhile reaches B once Redis is back (empty).
 */
class ClusterSuppressionIT {
    private static final String TOKEN = "cluster-admin-token";
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final int SAMPLES = 50;

    private static DaemonProcess node(Path dir, String id, RedisServer redis, String prefix) throws Exception {
        return DaemonProcess.in(dir.resolve(id))
                .set("sluice.smarthost", "127.0.0.1:9") // nothing is sent in this test
                .set("sluice.admin.token", TOKEN)
                .set("sluice.cluster.redis.uri", redis.uri())
                .set("sluice.cluster.key-prefix", prefix)
                .set("sluice.cluster.node-id", id)
                .start();
    }

    @Test
    void suppressionAddedOnOneNodeIsRefusedAtIngressOnTheOther(@TempDir Path dir) throws Exception {
        String prefix = RedisServer.freshPrefix();
        try (RedisServer redis = RedisServer.shared(dir.resolve("redis"));
             DaemonProcess a = node(dir, "a", redis, prefix);
             DaemonProcess b = node(dir, "b", redis, prefix)) {
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < SAMPLES; i++) {
                String address = "gone-" + i + "@dest.test";
                assertEquals(250, FeedbackLoopIT.rcptReply(b, address).code(), "not suppressed yet: " + address);
                long start = System.nanoTime();
                HttpResponse<String> added = call(a, "POST", "/admin/suppressions",
                        "{\"address\":\"" + address + "\",\"reason\":\"complaint\"}");
                assertEquals(201, added.statusCode(), added.body());
                SmtpDialogue.Reply refused = awaitReply(b, address, 550);
                millis.add((System.nanoTime() - start) / 1_000_000);
                assertTrue(refused.text().contains("suppressed (complaint)"), refused.toString());
            }
            Collections.sort(millis);
            System.out.printf("cluster suppression propagation A->B over %d adds: p50 %d ms, p99 %d ms, max %d ms%n",
                    SAMPLES, millis.get(SAMPLES / 2), millis.get((int) Math.ceil(SAMPLES * 0.99) - 1), millis.get(SAMPLES - 1));

            assertEquals(200, call(a, "DELETE", "/admin/suppressions/default/gone-7@dest.test", null).statusCode());
            awaitReply(b, "gone-7@dest.test", 250);
            assertEquals(550, FeedbackLoopIT.rcptReply(b, "gone-8@dest.test").code(), "the others stay");
        }
    }

    @Test
    void duringARedisOutageKnownSuppressionsHoldAndNewOnesArriveWhenItReturns(@TempDir Path dir) throws Exception {
        String prefix = RedisServer.freshPrefix();
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"));
             DaemonProcess a = node(dir, "a", redis, prefix);
             DaemonProcess b = node(dir, "b", redis, prefix)) {
            assertEquals(201, call(a, "POST", "/admin/suppressions", "{\"address\":\"before@dest.test\"}").statusCode());
            awaitReply(b, "before@dest.test", 550);

            redis.kill();
            assertEquals(201, call(a, "POST", "/admin/suppressions", "{\"address\":\"during@dest.test\"}").statusCode());
            assertEquals(550, FeedbackLoopIT.rcptReply(a, "during@dest.test").code(), "a enforces it at once");
            assertEquals(550, FeedbackLoopIT.rcptReply(b, "before@dest.test").code(), "b keeps what it knew");
            assertEquals(250, FeedbackLoopIT.rcptReply(b, "during@dest.test").code(), "b cannot know yet");

            redis.restart(); // empty, as a Redis without persistence comes back
            long start = System.nanoTime();
            awaitReply(b, "during@dest.test", 550);
            System.out.printf("cluster suppression: added during the outage, refused on B %d ms after Redis returned%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertEquals(550, FeedbackLoopIT.rcptReply(b, "before@dest.test").code());
        }
    }

    /** Polls B's ingress with a real RCPT until it answers {@code code}, within 10 s. */
    private static SmtpDialogue.Reply awaitReply(DaemonProcess node, String address, int code) throws Exception {
        long end = System.nanoTime() + WITHIN.toNanos();
        SmtpDialogue.Reply last;
        do {
            last = FeedbackLoopIT.rcptReply(node, address);
            if (last.code() == code) {
                return last;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < end);
        throw new AssertionError("RCPT TO:<" + address + "> still answered " + last + " after " + WITHIN);
    }

    private static HttpResponse<String> call(DaemonProcess daemon, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(FeedbackLoopIT.local(daemon, path))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
