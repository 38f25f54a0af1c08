package io.sluice.daemon.egress;

import io.sluice.daemon.egress.shaping.HoldScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Operator views read the snapshot the scheduler publishes: they answer while the scheduler
 * thread is not even running (here it never starts), so an HTTP thread cannot wait for it.
 */
class EgressViewTest {
    @TempDir
    Path dir;
    private EngineRig rig;

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void queuesAndDepthComeFromThePublishedSnapshotWithoutWaiting() throws Exception {
        rig = new EngineRig(dir, null, null);
        rig.route("held.test", EngineRig.target("mx.held.test", "192.0.2.20"));
        rig.engine.suspendByOperator(HoldScope.parse("domain:held.test"), EngineRig.START.plus(Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            rig.submit(Map.of("tenant", "acme"), "r" + i + "@held.test");
        }
        EgressView view = new EgressView(rig.engine);
        assertEquals(0, view.queues(10).waiting(), "nothing published before a tick");

        rig.settle();
        EgressView.Queues queues = view.queues(10);
        assertEquals(3, queues.waiting());
        assertEquals("acme", queues.scheduled().get(0).tenant());
        assertEquals(3, queues.scheduled().get(0).waiting());
        assertEquals(3, view.depth().waiting());

        rig.engine.resumeByOperator(HoldScope.parse("domain:held.test"));
        rig.settle(); // sent, but the clock has not moved: the snapshot is as old as it may be
        assertEquals(3, view.depth().waiting());
        rig.advance(Duration.ofMillis(EgressSnapshot.Publisher.EVERY_MILLIS));
        assertEquals(0, view.depth().waiting());
        assertEquals(0, view.queues(10).scheduled().size());
    }
}
