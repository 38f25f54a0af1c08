package io.sluice.daemon.cluster;

import io.sluice.daemon.it.RedisServer;
import io.sluice.daemon.outcome.suppression.SuppressionChange;
import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Suppression changes shared through a real redis-server: published, applied on the other node,
 * not echoed back; caught up after a node was away, from the stream or (trimmed, or a new node)
 * from the list hash; and published after an outage — also when Redis came back empty and the
 * node restarted meanwhile.
 */
class ClusterSuppressionTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final String prefix = RedisServer.freshPrefix();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** One node: its persistent store, its link to Redis and the sync between them. */
    private final class Node implements AutoCloseable {
        final SuppressionStore store;
        final List<SuppressionChange> events = new CopyOnWriteArrayList<>();
        final RedisLink link;
        final ClusterSuppression sync;

        Node(String id, RedisServer redis, long streamLength) {
            store = SuppressionStore.open(dir.resolve(id), Clock.systemUTC(), 16, events::add);
            link = new RedisLink(new ClusterSettings(redis.uri(), id, prefix, 0.5, Duration.ofMillis(250),
                    Duration.ofMillis(25), Duration.ofMillis(500), Duration.ofSeconds(10)));
            sync = new ClusterSuppression(link, store, streamLength);
            open.add(this);
        }

        Node(String id, RedisServer redis) {
            this(id, redis, 1_000_000);
        }

        boolean suppressed(String address) {
            return store.isSuppressed("default", address);
        }

        void add(String address) {
            store.add("default", address, SuppressionReason.MANUAL, "admin", null, null);
        }

        @Override
        public void close() {
            open.remove(this);
            sync.close();
            link.close();
            store.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : new ArrayList<>(open)) {
            c.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(WITHIN);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within " + WITHIN + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    private long streamLength(RedisServer redis) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        try (var c = client.connect()) {
            return c.sync().xlen(prefix + "suppression");
        } finally {
            client.shutdown();
        }
    }

    /** The key of the newest change in the stream, or null. */
    private String newestKey(RedisServer redis) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        try (var c = client.connect()) {
            var newest = c.sync().xrevrange(prefix + "suppression", io.lettuce.core.Range.create("-", "+"),
                    io.lettuce.core.Limit.from(1));
            return newest.isEmpty() ? null : newest.get(0).getBody().get("key");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void addAndRemoveReachTheOtherNodeOnceAndAreNotEchoed() throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            Node a = new Node("a", redis);
            Node b = new Node("b", redis);
            await("both joined", () -> a.sync.joined() && b.sync.joined());

            a.add("Gone@Dest.test");
            await("b refuses it", () -> b.suppressed("gone@dest.test"));
            assertEquals("admin", b.store.lookup("default", "gone@dest.test").orElseThrow().source());
            b.store.add("default", "@spam.test", SuppressionReason.COMPLAINT, "feedback", "arf", null);
            await("a refuses the domain", () -> a.suppressed("x@spam.test"));

            a.store.remove("default", "gone@dest.test", "admin", "mistake");
            await("b lifts it", () -> !b.suppressed("gone@dest.test"));

            Thread.sleep(1500); // let any echo happen
            assertEquals(3, streamLength(redis), "each change published once, by its own node");
            assertEquals(2, a.store.history("default", "gone@dest.test").size(), "a's own changes not applied twice");
            assertEquals(2, b.store.history("default", "gone@dest.test").size());
            assertEquals(2, a.events.size(), "a's events: its own add and remove only");
            assertEquals(1, b.events.size(), "b's events: its own domain add only");
        }
    }

    @Test
    void everyPartOfAnEntryArrivesByStreamAndByList() throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            Node a = new Node("a", redis);
            Node b = new Node("b", redis);
            await("both joined", () -> a.sync.joined() && b.sync.joined());
            Instant expires = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            a.store.add("acme", "Odd@Dest.test", SuppressionReason.REPEATED_SOFT_BOUNCE, "hygiene",
                    "452 4.2.2 over quota\u001f|\nagain", expires);
            var want = a.store.lookup("acme", "odd@dest.test").orElseThrow();
            await("b has it from the stream", () -> b.store.lookup("acme", "odd@dest.test").isPresent());
            Node c = new Node("c", redis);
            await("c has it from the list", () -> c.store.lookup("acme", "odd@dest.test").isPresent());
            for (Node n : List.of(b, c)) {
                var got = n.store.lookup("acme", "odd@dest.test").orElseThrow();
                assertEquals(want.reason(), got.reason());
                assertEquals(want.source(), got.source());
                assertEquals("452 4.2.2 over quota |\nagain", got.note(), "the separator is the one thing not kept");
                assertEquals(want.added(), got.added());
                assertEquals(expires, got.expires());
                assertFalse(n.store.isSuppressed("default", "odd@dest.test"), "acme's list only");
            }
        }
    }

    @Test
    void aNodeThatWasAwayCatchesUpAndANewNodeReadsEverything() throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            Node a = new Node("a", redis);
            Node b = new Node("b", redis);
            await("both joined", () -> a.sync.joined() && b.sync.joined());
            a.add("first@dest.test");
            await("b has the first", () -> b.suppressed("first@dest.test"));
            b.close();

            for (int i = 0; i < 700; i++) {
                a.add("while-away-" + i + "@dest.test");
            }
            a.store.remove("default", "first@dest.test", "admin", null);
            Node b2 = new Node("b", redis);
            await("b caught up", () -> countActive(b2.store) == 700 && !b2.suppressed("first@dest.test"));
            assertEquals(2, b2.store.history("default", "first@dest.test").size());

            Node c = new Node("c", redis);
            await("a brand-new node reads the whole list", () -> countActive(c.store) == 700);
            assertFalse(c.suppressed("first@dest.test"));
        }
    }

    private static int countActive(SuppressionStore s) {
        int[] n = {0};
        s.forEach("default", e -> n[0]++);
        return n[0];
    }

    @Test
    void changesMadeDuringAnOutageArePublishedWhenRedisReturnsEmptyEvenAfterARestart() throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            Node a = new Node("a", redis);
            Node b = new Node("b", redis);
            await("both joined", () -> a.sync.joined() && b.sync.joined());
            a.add("before@dest.test");
            await("b has it", () -> b.suppressed("before@dest.test"));

            redis.kill();
            await("a sees the outage", () -> !a.link.up());
            a.add("during@dest.test");
            a.close(); // and a restarts while Redis is still away
            Node a2 = new Node("a", redis);
            assertTrue(a2.suppressed("during@dest.test"), "persisted locally");
            assertTrue(b.suppressed("before@dest.test"), "b enforces what it knew");
            assertFalse(b.suppressed("during@dest.test"));

            redis.restart(); // empty: the stream and the epoch are gone
            await("b gets what a added during the outage", () -> b.suppressed("during@dest.test"));
            assertTrue(b.suppressed("before@dest.test"));

            Node c = new Node("c", redis);
            await("a node joining after the loss gets the whole list",
                    () -> c.suppressed("before@dest.test") && c.suppressed("during@dest.test"));
        }
    }

    @Test
    void aRedisThatComesBackEmptyAtOnceIsNoticedAndRefilled() throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            Node a = new Node("a", redis);
            Node b = new Node("b", redis);
            await("both joined", () -> a.sync.joined() && b.sync.joined());
            b.close();
            a.add("only-in-redis@dest.test");
            await("a published it", () -> "only-in-redis@dest.test".equals(newestKey(redis)));

            redis.kill();
            redis.restart(); // b never read it, and Redis forgot it: only a's own log has it now
            Node b2 = new Node("b", redis);
            await("a noticed the loss and shared its list again", () -> b2.suppressed("only-in-redis@dest.test"));
        }
    }

    @Test
    void aNodeWhoseUnreadChangesWereTrimmedReadsTheWholeList() throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            Node a = new Node("a", redis, 1000);
            Node b = new Node("b", redis, 1000);
            await("both joined", () -> a.sync.joined() && b.sync.joined());
            a.add("early@dest.test");
            await("b has it", () -> b.suppressed("early@dest.test"));
            b.close();
            for (int i = 0; i < 3000; i++) {
                a.add("bulk-" + i + "@dest.test");
            }
            await("a published all", () -> "bulk-2999@dest.test".equals(newestKey(redis)));
            assertTrue(streamLength(redis) < 3000, "trimmed: " + streamLength(redis));
            Node b2 = new Node("b", redis, 1000);
            await("b has every one, trimmed or not", () -> countActive(b2.store) == 3001);

            Node c = new Node("c", redis, 1000);
            await("a brand-new node gets the trimmed history too", () -> countActive(c.store) == 3001);
            assertTrue(c.suppressed("early@dest.test"));
        }
    }
}
