package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode is on only with {@code sluice.cluster.redis.uri}: a single node never loads
 * Lettuce; a cluster node reports its link in {@code /health}, says loudly in its log when Redis
 * goes away and when it comes back, and stays UP (it keeps delivering) meanwhile.
 */
class ClusterModeIT {

    @Test
    void aSingleNodeNeverLoadsTheRedisClient(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.log");
        try (DaemonProcess daemon = DaemonProcess.in(dir)
                .env("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classes)
                .start()) {
            assertEquals(200, daemon.healthStatus());
            assertTrue(daemon.healthBody().contains("\"mode\":\"single\""), daemon.healthBody());
            assertFalse(metrics(daemon).contains("sluice_cluster_redis_up"), "no cluster gauge on a single node");
        }
        String loaded = Files.readString(classes);
        // the seams themselves are loaded (so the log does show this daemon's classes) ...
        assertTrue(loaded.contains("io.sluice.daemon.cluster.Shared "), "class log has the daemon's classes");
        // ... but nothing of Redis: the bean container may read the Redis link's class to see that
        // it is not wanted, but no Lettuce class (and so no client thread or connection) is loaded
        assertFalse(loaded.contains("io.lettuce."), "a single node loaded Lettuce");
        assertFalse(Files.readString(dir.resolve("daemon.log")).contains("Redis"), "a single node spoke of Redis");
    }

    @Test
    void aNodeReportsItsLinkAndLogsAnOutageAndItsEnd(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"));
             DaemonProcess node = DaemonProcess.in(dir.resolve("node"))
                     .set("sluice.cluster.redis.uri", redis.uri())
                     .set("sluice.cluster.node-id", "node-a")
                     .set("sluice.cluster.key-prefix", RedisServer.freshPrefix())
                     .start()) {
            await("the node joins", Duration.ofSeconds(15), () -> body(node).contains("\"redis\":\"up\""));
            assertTrue(body(node).contains("\"node\":\"node-a\""), body(node));
            assertTrue(metrics(node).contains("sluice_cluster_redis_up 1.0"), "gauge while up");

            redis.kill();
            await("the node sees Redis gone", Duration.ofSeconds(15), () -> body(node).contains("\"redis\":\"down\""));
            assertEquals(200, node.healthStatus(), "a node without Redis still delivers: UP");
            assertTrue(metrics(node).contains("sluice_cluster_redis_up 0.0"), "gauge while down");
            await("the outage is logged", Duration.ofSeconds(5),
                    () -> log(node).contains("CLUSTER: Redis at " + redis.uri() + " is unreachable"));

            redis.restart();
            await("the node sees Redis back", Duration.ofSeconds(15), () -> body(node).contains("\"redis\":\"up\""));
            await("the return is logged", Duration.ofSeconds(5), () -> log(node).contains("is reachable again"));
        }
    }

    private static String metrics(DaemonProcess d) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + d.httpPort() + "/prometheus")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            throw new AssertionError("GET /prometheus: " + e, e);
        }
    }

    private static String log(DaemonProcess d) {
        try {
            return Files.readString(d.log());
        } catch (Exception e) {
            return "";
        }
    }

    private static String body(DaemonProcess d) {
        try {
            return d.healthBody();
        } catch (Exception e) {
            return "";
        }
    }

    private static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
        Instant end = Instant.now().plus(within);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(what + ": not within " + within);
            }
            Thread.sleep(100);
        }
    }
}
