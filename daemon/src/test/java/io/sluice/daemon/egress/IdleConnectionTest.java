package io.sluice.daemon.egress;

import io.sluice.daemon.egress.window.WindowPolicy;
import io.sluice.queue.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A connection whose path ran out of work stays open for the idle time and carries the next
 * delivery to the same path; past the idle time, at shutdown, or when the receiver closed it, it is
 * not used again. Driven by hand: the test clock, a scripted receiver.
 */
class IdleConnectionTest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    @TempDir
    Path dir;
    private EngineRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private EngineRig rig(Duration idle) throws Exception {
        rig = new EngineRig(dir, null, null, WindowPolicy.NONE, idle);
        rig.route("example.test", EngineRig.target("mx.example.test", "192.0.2.10"));
        return rig;
    }

    @Test
    void theNextMessageToThePathGoesOnTheConnectionThatIsStillOpen() throws Exception {
        EngineRig r = rig(IDLE);
        Delivery first = r.submit("a@example.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(first));
        assertEquals(1, r.transport.attempts.size());
        assertEquals(0, r.transport.quits, "no QUIT while the path may get more work");
        assertEquals(1, r.transport.open());

        r.advance(Duration.ofMillis(1500));
        Delivery second = r.submit("b@example.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(second));
        assertEquals(1, r.transport.attempts.size(), "no second connection");
        assertEquals(2, r.transport.transactions.size());
    }

    @Test
    void pastTheIdleTimeTheConnectionQuitsAndItsSlotServesTheNextMessage() throws Exception {
        EngineRig r = rig(IDLE);
        r.submit("a@example.test");
        r.settle();
        r.advance(IDLE.minusMillis(1));
        assertEquals(0, r.transport.quits);
        r.advance(Duration.ofMillis(1));
        assertEquals(1, r.transport.quits, "closed after the idle time");
        assertEquals(0, r.transport.open());

        // the engine's rule allows one connection per path: its slot was given back with the QUIT
        Delivery next = r.submit("b@example.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(next));
        assertEquals(2, r.transport.attempts.size());
    }

    @Test
    void aConnectionTheReceiverClosedWhileIdleIsNotTriedAndCostsNoDeferral() throws Exception {
        EngineRig r = rig(IDLE);
        r.submit("a@example.test");
        r.settle();
        r.transport.receiversClose();

        Delivery next = r.submit("b@example.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(next), "delivered on a new connection, not deferred");
        assertEquals(2, r.transport.attempts.size());
        assertEquals(1, r.transport.transactions.size() - 1, "nothing was sent on the closed connection");
    }

    @Test
    void withoutAnIdleTimeTheConnectionQuitsWhenThePathHasNoWork() throws Exception {
        EngineRig r = rig(Duration.ZERO);
        r.submit("a@example.test");
        r.settle();
        assertEquals(1, r.transport.quits);
        r.submit("b@example.test");
        r.settle();
        assertEquals(2, r.transport.attempts.size());
    }

    @Test
    void anIdleConnectionGivesUpTheSourcesConnectionCapToAPathWithWork() throws Exception {
        rig = new EngineRig(dir, null, """
                providers:
                  - name: sink
                    mx-suffixes: [.sink.test]
                    max-connections-per-path: 1
                    max-connections: 1
                """, WindowPolicy.NONE, IDLE);
        EngineRig r = rig;
        r.route("one.test", EngineRig.target("mx1.sink.test", "192.0.2.11"));
        r.route("two.test", EngineRig.target("mx2.sink.test", "192.0.2.12"));
        r.submit("a@one.test");
        r.settle();
        assertEquals(1, r.transport.open(), "idle on the path to one.test, holding the source's only connection");

        Delivery other = r.submit("b@two.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(other), "not kept waiting by the idle connection");
        assertEquals(1, r.transport.quits, "the idle connection was closed for it");
        assertEquals(2, r.transport.attempts.size());
    }

    @Test
    void shutdownQuitsTheIdleConnections() throws Exception {
        EngineRig r = rig(IDLE);
        r.submit("a@example.test");
        r.settle();
        r.engine.close();
        assertEquals(1, r.transport.quits);
        assertEquals(0, r.transport.open());
    }
}
