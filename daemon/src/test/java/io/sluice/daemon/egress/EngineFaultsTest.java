package io.sluice.daemon.egress;

import io.sluice.daemon.operate.events.Event;
import io.sluice.queue.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 9: a failure inside Sluice itself (the spool cannot give a message, a step of a
 * session throws, the journal refuses a write, a route lookup throws) never leaves a delivery
 * without an outcome or a connection slot taken: the delivery is deferred with an event and tried
 * again later, and the slot is given back, so the next delivery still goes out.
 */
class EngineFaultsTest {
    @TempDir
    Path dir;
    private EngineRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private EngineRig rig() throws Exception {
        rig = new EngineRig(dir, null, null);
        rig.route("example.test", EngineRig.target("mx.example.test", "192.0.2.10"));
        return rig;
    }

    private static int connectionsHeld(EngineRig r) {
        return r.engine.paths().stream().mapToInt(p -> p.connections.get()).sum();
    }

    private static Outcome.Deferred deferredLocally(EngineRig r, Delivery d) {
        Outcome.Deferred deferred = assertInstanceOf(Outcome.Deferred.class, r.last(d), "journaled: " + r.journal);
        assertTrue(deferred.reason().startsWith("451 4.3.0"), deferred.reason());
        return deferred;
    }

    @Test
    void aMessageTheSpoolCannotReadIsDeferredWithAnEventAndSentOnceReadable() throws Exception {
        EngineRig r = rig();
        Delivery d = r.submit("a@example.test").get(0);
        r.unreadable(d.id().message());
        r.settle();

        Outcome.Deferred deferred = deferredLocally(r, d);
        assertTrue(deferred.reason().contains("spool"), deferred.reason());
        assertEquals(EngineRig.START.plus(EngineRig.RETRY.initial()), deferred.nextAttempt(), "with the retry policy's backoff");
        Event event = r.events.get(r.events.size() - 1);
        assertEquals("TransientFailure", event.type());
        assertEquals(451, event.response().code());
        assertEquals(0, connectionsHeld(r));
        assertTrue(r.transport.transactions.isEmpty());

        r.readable(d.id().message());
        r.advance(EngineRig.RETRY.initial());
        assertInstanceOf(Outcome.Delivered.class, r.last(d));
    }

    @Test
    void aSessionStepThatThrowsDefersItsBatchAndFreesTheConnectionSlot() throws Exception {
        EngineRig r = rig();
        r.transport.throwOnNextSend(new IllegalStateException("channel gone (scripted)"));
        Delivery first = r.submit("a@example.test").get(0);
        r.settle();

        deferredLocally(r, first);
        assertEquals(0, connectionsHeld(r), "the slot is given back");
        assertTrue(r.events.stream().anyMatch(e -> e.type().equals("TransientFailure")));

        Delivery next = r.submit("b@example.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(next), "the path's one connection slot is free again");

        r.advance(EngineRig.RETRY.initial());
        assertInstanceOf(Outcome.Delivered.class, r.last(first));
        assertTrue(r.work.escaped.isEmpty(), "nothing escaped to the worker: " + r.work.escaped);
    }

    @Test
    void aConnectAttemptThatThrowsRestsThePathAndFreesTheSlot() throws Exception {
        EngineRig r = rig();
        r.transport.throwOnNextConnect(new IllegalStateException("event loop shut down (scripted)"));
        Delivery d = r.submit("a@example.test").get(0);
        r.settle();

        assertTrue(r.work.escaped.isEmpty(), "nothing escaped to the worker: " + r.work.escaped);
        Outcome.Deferred deferred = deferredLocally(r, d);
        assertTrue(!deferred.nextAttempt().isBefore(EngineRig.START.plus(EngineRig.DOWN_FOR)),
                "the path rests rather than failing in a loop: " + deferred.nextAttempt());
        assertEquals(0, connectionsHeld(r));

        r.advance(EngineRig.DOWN_FOR);
        assertInstanceOf(Outcome.Delivered.class, r.last(d));
    }

    @Test
    void aJournalWriteThatFailsDoesNotStrandTheRestOfTheBatch() throws Exception {
        EngineRig r = rig();
        List<Delivery> ds = r.submit(Map.of(), "a@example.test", "b@example.test", "c@example.test");
        r.journalFailures = 1; // a's "delivered" cannot be journaled
        r.settle();

        assertEquals(1, r.transport.transactions.size());
        deferredLocally(r, ds.get(0)); // sent again later: a duplicate, within at-least-once
        assertInstanceOf(Outcome.Delivered.class, r.last(ds.get(1)));
        assertInstanceOf(Outcome.Delivered.class, r.last(ds.get(2)));
        assertEquals(0, connectionsHeld(r));
    }

    @Test
    void aRouteLookupThatThrowsDefersThatDomainAndNotTheOthers() throws Exception {
        EngineRig r = rig();
        r.lookupThrows("broken.test");
        Delivery broken = r.submit("x@broken.test").get(0);
        Delivery fine = r.submit("y@example.test").get(0);
        r.settle();

        deferredLocally(r, broken);
        assertInstanceOf(Outcome.Delivered.class, r.last(fine));
        assertEquals(0, r.waiting(), "nothing stays pending on the broken domain");
    }

    @Test
    void aDeliveryWhoseDeferralCannotBeJournaledIsStillTriedAgain() throws Exception {
        EngineRig r = rig();
        Delivery d = r.submit("a@example.test").get(0);
        r.unreadable(d.id().message());
        r.journalFailures = 1; // the deferral itself cannot be journaled
        r.settle();

        r.readable(d.id().message());
        r.advance(EngineRig.DOWN_FOR);
        assertInstanceOf(Outcome.Delivered.class, r.last(d), "kept in memory and retried: " + r.journal);
        assertEquals(0, connectionsHeld(r));
    }
}
