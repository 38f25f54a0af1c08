package io.sluice.daemon.egress;

import io.sluice.protocol.client.SmtpClientException;
import io.sluice.protocol.client.TlsMode;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.queue.Outcome;
import io.sluice.daemon.egress.shaping.HoldScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The egress engine driven by hand: a test clock, a scripted receiving side, no daemon, no sleep.
 * Each test states what the engine holds and what it journaled, never how long anything took.
 */
class DispatcherTest {
    @TempDir
    Path dir;
    private EngineRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private EngineRig rig(String egress, String rules) throws Exception {
        rig = new EngineRig(dir, egress, rules);
        return rig;
    }

    private static RouteDecision.Target mx() throws Exception {
        return EngineRig.target("mx.example.test", "192.0.2.10");
    }

    @Test
    void aTransientFailureIsTriedAgainAtTheRetryPolicysTimeThenDelivered() throws Exception {
        EngineRig r = rig(null, null);
        r.route("example.test", mx());
        boolean[] busy = {true};
        r.transport.answer(rcpt -> busy[0] ? SmtpReply.of(451, "4.2.0", "busy, later") : SmtpReply.of(250, "2.0.0", "ok"));
        Delivery d = r.submit("a@example.test").get(0);
        r.settle();

        Outcome.Deferred deferred = assertInstanceOf(Outcome.Deferred.class, r.last(d));
        assertEquals(1, deferred.attempts());
        assertEquals(EngineRig.START.plus(EngineRig.RETRY.initial()), deferred.nextAttempt());
        assertEquals(1, r.engine.wheel().size(), "the retry waits on a timer");

        busy[0] = false;
        r.advance(EngineRig.RETRY.initial().minusSeconds(1));
        assertEquals(1, r.transport.transactions.size(), "not before its time");
        assertEquals(1, r.engine.wheel().size());
        r.advance(Duration.ofSeconds(1));
        assertInstanceOf(Outcome.Delivered.class, r.last(d));
        assertEquals(2, r.transport.transactions.size());
    }

    @Test
    void aPermanentFailureBouncesAndIsNotTriedAgain() throws Exception {
        EngineRig r = rig(null, null);
        r.route("example.test", mx());
        r.transport.answer(rcpt -> SmtpReply.of(550, "5.1.1", "no such user"));
        Delivery d = r.submit("gone@example.test").get(0);
        r.settle();

        Outcome.Bounced bounced = assertInstanceOf(Outcome.Bounced.class, r.last(d));
        assertTrue(bounced.reason().startsWith("550 5.1.1"), bounced.reason());
        assertEquals(0, r.engine.wheel().size());
        assertEquals(0, r.waiting());
        assertTrue(r.events.stream().anyMatch(e -> e.type().equals("Bounce")));
    }

    @Test
    void tenantsTakeTurnsSoABigSendDoesNotStarveASmallOne() throws Exception {
        EngineRig r = rig(null, null);
        r.route("example.test", mx());
        for (int i = 0; i < 40; i++) {
            r.submit(Map.of("tenant", "big"), "big" + i + "@example.test");
        }
        for (int i = 0; i < 5; i++) {
            r.submit(Map.of("tenant", "small"), "small" + i + "@example.test");
        }
        r.settle();

        List<String> sent = r.transport.recipientsSent();
        assertEquals(45, sent.size());
        long smallInFirstTen = sent.subList(0, 10).stream().filter(s -> s.startsWith("small")).count();
        assertEquals(5, smallInFirstTen, "the small tenant's five go out while the big one's forty wait: " + sent);
        assertEquals(45, r.count(Outcome.Delivered.class));
    }

    private static final String WARMING = """
            schedules:
              gentle:
                daily: [20, 40]
                hourly: [1000, 1000]
            sources:
              fresh:
                address: 127.0.0.21
                warmup: {schedule: gentle, start: 2026-03-02}
            pools:
              main:
                sources: {fresh: 1}
            """;

    @Test
    void aSpentWarmupBudgetKeepsTheRestWaitingWithoutBouncingIt() throws Exception {
        EngineRig r = rig(WARMING, null);
        r.route("example.test", mx());
        List<Delivery> all = IntStream.range(0, 30)
                .mapToObj(i -> r.submit("r" + i + "@example.test").get(0)).toList();
        r.settle();

        assertEquals(20, r.transport.recipientsSent().size(), "day 1's cap");
        assertEquals(20, r.count(Outcome.Delivered.class));
        assertEquals(10, r.waiting(), "the rest waits in its scheduled queue");
        assertEquals(10, all.stream().filter(d -> r.last(d) == null).count(), "nothing journaled for them");
        assertEquals(20L, r.warmup.status().get(0).sentToday().get("default"));

        r.advance(Duration.ofDays(1)); // day 2: a new budget
        assertEquals(30, r.count(Outcome.Delivered.class));
        assertEquals(0, r.waiting());
    }

    @Test
    void anOperatorsHoldKeepsMailWaitingAndResumeReleasesIt() throws Exception {
        EngineRig r = rig(null, null);
        r.route("example.test", mx());
        r.engine.suspendByOperator(HoldScope.parse("domain:example.test"), EngineRig.START.plus(Duration.ofHours(1)));
        List<Delivery> held = List.of(r.submit("a@example.test").get(0), r.submit("b@example.test").get(0));
        r.settle();
        assertEquals(2, r.waiting());
        assertTrue(r.transport.attempts.isEmpty());
        assertTrue(held.stream().allMatch(d -> r.last(d) == null), "held mail is neither deferred nor bounced");

        assertTrue(r.engine.resumeByOperator(HoldScope.parse("domain:example.test")));
        r.settle();
        assertEquals(0, r.waiting());
        assertTrue(held.stream().allMatch(d -> r.last(d) instanceof Outcome.Delivered));
    }

    @Test
    void aHeldPathKeepsItsMailWaitingUntilResumed() throws Exception {
        EngineRig r = rig(null, null);
        r.route("example.test", mx());
        r.engine.suspendByOperator(HoldScope.parse("path:default>mx.example.test"), EngineRig.START.plus(Duration.ofHours(1)));
        Delivery d = r.submit("a@example.test").get(0);
        r.settle();
        assertEquals(1, r.waiting());
        assertNull(r.last(d));

        r.engine.resumeByOperator(HoldScope.parse("path:default>mx.example.test"));
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(d));
    }

    @Test
    void aBrokenStartTlsIsRetriedInClearAtOnceAndRemembered() throws Exception {
        EngineRig r = rig(null, null);
        RouteDecision.Target mx = mx();
        r.route("example.test", mx);
        r.transport.breakTls(mx.address());
        Delivery first = r.submit("a@example.test").get(0);
        r.settle();

        assertInstanceOf(Outcome.Delivered.class, r.last(first));
        assertEquals(List.of(TlsMode.OPPORTUNISTIC, TlsMode.NONE), tlsModes(r));
        assertTrue(r.engine.sessions().tlsBroken(mx.address()));

        Delivery second = r.submit("b@example.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(second));
        assertEquals(List.of(TlsMode.OPPORTUNISTIC, TlsMode.NONE, TlsMode.NONE), tlsModes(r),
                "the next connection goes in clear straight away");
    }

    @Test
    void requiredTlsNeverFallsBackToClear() throws Exception {
        EngineRig r = rig(null, """
                providers:
                  - name: strict
                    domains: [example.test]
                    tls: required
                """);
        RouteDecision.Target mx = mx();
        r.route("example.test", mx);
        r.transport.breakTls(mx.address());
        Delivery d = r.submit("a@example.test").get(0);
        r.settle();

        assertEquals(List.of(TlsMode.REQUIRED), tlsModes(r));
        Outcome.Deferred deferred = assertInstanceOf(Outcome.Deferred.class, r.last(d));
        assertTrue(deferred.reason().contains("TLS"), deferred.reason());
        assertTrue(r.transport.transactions.isEmpty());
    }

    private static List<TlsMode> tlsModes(EngineRig r) {
        return r.transport.attempts.stream().map(FakeTransport.Attempt::tls).toList();
    }

    @Test
    void aDestinationThatIsDownRestsAndWhatIsQueuedIsDeferredWithoutTryingEachOne() throws Exception {
        EngineRig r = rig(null, null);
        RouteDecision.Target mx = mx();
        r.route("example.test", mx);
        r.transport.failConnect(mx.address(), SmtpClientException.Kind.CONNECT);
        List<Delivery> queued = IntStream.range(0, 5).mapToObj(i -> r.submit("r" + i + "@example.test").get(0)).toList();
        r.settle();

        assertEquals(1, r.transport.attempts.size(), "one connection attempt for the path, not one per delivery");
        for (Delivery d : queued) {
            Outcome.Deferred deferred = assertInstanceOf(Outcome.Deferred.class, r.last(d));
            assertTrue(!deferred.nextAttempt().isBefore(EngineRig.START.plus(EngineRig.DOWN_FOR)),
                    "not before the rest ends: " + deferred.nextAttempt());
        }
        EgressPath path = r.engine.paths().iterator().next();
        assertTrue(path.isDown(r.clock.instant()));

        Delivery later = r.submit("late@example.test").get(0);
        r.settle();
        assertEquals(1, r.transport.attempts.size(), "a resting path is not tried");
        assertInstanceOf(Outcome.Deferred.class, r.last(later));
    }

    @Test
    void recipientsOfOneMessageAtOneSiteShareATransaction() throws Exception {
        EngineRig r = rig(null, null);
        r.route("example.test", mx());
        List<Delivery> ds = r.submit(Map.of(), "a@example.test", "b@example.test", "c@example.test");
        r.settle();

        assertEquals(1, r.transport.transactions.size());
        assertEquals(List.of("a@example.test", "b@example.test", "c@example.test"),
                r.transport.transactions.get(0).recipients());
        assertTrue(ds.stream().allMatch(d -> r.last(d) instanceof Outcome.Delivered));
    }

    @Test
    void whileTheWorkersAreBusyAPathHoldsNoMoreThanItsReadyRoomAndTheRestWaits() throws Exception {
        EngineRig r = rig(null, null);
        r.route("example.test", mx());
        List<Delivery> ds = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ds.addAll(r.submit("user" + i + "@example.test"));
        }
        for (int i = 0; i < 20; i++) {
            r.engine.tick(); // the scheduler places; the workers (which sign and send) do not run
        }

        EgressPath path = r.engine.paths().iterator().next();
        int room = Placement.readyRoom(path.throttle.rule());
        assertTrue(room < 40);
        assertEquals(room, path.readyCount.get(), "the ready queue fills to its room and no further");
        assertEquals(40 - room, r.waiting(), "the rest waits in the fair queues");

        r.settle(); // the workers catch up: what waited moves on
        assertTrue(ds.stream().allMatch(d -> r.last(d) instanceof Outcome.Delivered));
    }
}
