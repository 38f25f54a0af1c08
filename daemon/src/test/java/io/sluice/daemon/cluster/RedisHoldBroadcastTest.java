package io.sluice.daemon.cluster;

import io.sluice.daemon.it.RedisServer;
import io.sluice.daemon.egress.shaping.HoldBroadcast;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Operator holds carried between "nodes" (links and broadcasts of their own) through a real
 * redis-server: a node hears the others but not itself, a node that starts later applies the holds
 * in force, and what an operator did while Redis was away arrives when it returns, even empty.
 */
class RedisHoldBroadcastTest {
    @TempDir
    Path dir;
    RedisServer redis;
    String prefix;
    final List<RedisLink> links = new ArrayList<>();

    /** What a node's dispatcher was told, as "S scope until" or "R scope". */
    static final class Heard implements HoldBroadcast.Receiver {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        @Override
        public void suspend(String scope, Instant until) {
            seen.add("S " + scope + " " + until);
        }

        @Override
        public void resume(String scope) {
            seen.add("R " + scope);
        }

        String next() throws InterruptedException {
            String s = seen.poll(30, TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("nothing heard within 30 s");
            }
            return s;
        }

        String quiet(Duration d) throws InterruptedException {
            return seen.poll(d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    record Node(RedisHoldBroadcast holds, Heard heard, RedisLink link) {
    }

    @BeforeEach
    void start() {
        redis = RedisServer.start(dir.resolve("redis"));
        prefix = RedisServer.freshPrefix();
    }

    @AfterEach
    void stop() throws Exception {
        links.forEach(RedisLink::close);
        redis.close();
    }

    Node node(String id) {
        RedisLink link = new RedisLink(new ClusterSettings(redis.uri(), id, prefix, 0.5, Duration.ofMillis(250),
                Duration.ofMillis(25), Duration.ofMillis(500), Duration.ofSeconds(10)));
        links.add(link);
        RedisHoldBroadcast holds = new RedisHoldBroadcast(link);
        Heard heard = new Heard();
        holds.listen(heard);
        RedisHoldBroadcastTest.awaitTrue(link::up);
        return new Node(holds, heard, link);
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static Instant inAnHour() {
        return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void aHoldReachesTheOtherNodesButNotItsOwn() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Thread.sleep(500); // both subscribed
        Instant until = inAnHour();
        a.holds().suspended("domain:x.test", until);
        assertEquals("S domain:x.test " + until, b.heard().next());
        b.holds().resumed("domain:x.test");
        assertEquals("R domain:x.test", a.heard().next());
        assertNull(a.heard().quiet(Duration.ofSeconds(1)), "a does not hear its own suspend");
        assertNull(b.heard().quiet(Duration.ofMillis(200)), "nor b its own resume");
    }

    @Test
    void aNodeThatStartsLaterAppliesTheHoldsInForce() throws Exception {
        Node a = node("a");
        Instant until = inAnHour();
        a.holds().suspended("tenant:acme", until);
        a.holds().suspended("path:ip1>mx.gmail.test", until);
        a.holds().resumed("path:ip1>mx.gmail.test");
        a.holds().suspended("campaign:short", Instant.now().plusMillis(300));
        Thread.sleep(600); // the short one is over by the time c starts

        Node c = node("c");
        assertEquals("S tenant:acme " + until, c.heard().next());
        assertNull(c.heard().quiet(Duration.ofSeconds(1)), "only the hold in force");
    }

    @Test
    void whatAnOperatorDidWhileRedisWasAwayArrivesWhenItReturnsEvenEmpty() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Thread.sleep(500);
        Instant until = inAnHour();
        a.holds().suspended("domain:kept.test", until);
        a.holds().suspended("domain:lifted.test", until);
        assertEquals("S domain:kept.test " + until, b.heard().next());
        assertEquals("S domain:lifted.test " + until, b.heard().next());

        redis.kill();
        awaitTrue(() -> !a.link().up() || !b.link().up());
        a.holds().resumed("domain:lifted.test");   // waits in a's outbox
        a.holds().suspended("domain:new.test", until);
        redis.restart(); // without the holds it had

        // b may learn each twice (by the message and by re-reading the hash); the dispatcher does not mind
        java.util.Set<String> heard = new java.util.TreeSet<>(List.of(b.heard().next()));
        while (heard.size() < 2) {
            heard.add(b.heard().next());
        }
        String more;
        while ((more = b.heard().quiet(Duration.ofSeconds(3))) != null) {
            heard.add(more);
        }
        assertEquals(java.util.Set.of("R domain:lifted.test", "S domain:new.test " + until), heard,
                "kept.test stays held on b, lifted.test is lifted, new.test arrives");

        Node late = node("late"); // the holds written back after the loss are there for a newcomer
        List<String> lateHeard = new ArrayList<>(List.of(late.heard().next(), late.heard().next()));
        lateHeard.sort(null);
        assertEquals(List.of("S domain:kept.test " + until, "S domain:new.test " + until), lateHeard);
    }
}
