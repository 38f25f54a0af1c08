package io.sluice.daemon.cluster;

import io.sluice.daemon.outcome.feedback.SoftBounceCounters;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClusterSoftBouncesTest {

    @Test
    void aBounceTravelsWithItsNodeSoDeliveriesOfTwoSpoolsNeverCollide() {
        var b = new SoftBounceCounters.SoftBounce("acme", "Full@Example.net", Instant.ofEpochMilli(1_700_000_000_000L), "m1/0");
        var heard = ClusterSoftBounces.decode("mta-2", ClusterSoftBounces.encode("mta-1", b));
        assertEquals(new SoftBounceCounters.SoftBounce("acme", "full@example.net", b.at(), "mta-1/m1/0"), heard);
    }

    @Test
    void ourOwnEchoAndGarbageAreIgnored() {
        var b = new SoftBounceCounters.SoftBounce("acme", "x@example.net", Instant.now(), null);
        assertNull(ClusterSoftBounces.decode("mta-1", ClusterSoftBounces.encode("mta-1", b)));
        assertNull(ClusterSoftBounces.decode("mta-1", "nonsense"));
        assertNull(ClusterSoftBounces.decode("mta-1", "mta-2\tacme\tx@example.net\tnot-a-time\t"));
    }

    @Test
    void sharedCountsAddUpWithLocalOnes() {
        SoftBounceCounters counters = SoftBounceCounters.inMemory(100);
        Instant now = Instant.now();
        counters.applyShared(ClusterSoftBounces.decode("mta-1", ClusterSoftBounces.encode("mta-2",
                new SoftBounceCounters.SoftBounce("acme", "x@example.net", now, "m1/0"))));
        int count = counters.record(new SoftBounceCounters.SoftBounce("acme", "x@example.net", now, "m1/0"), java.time.Duration.ofDays(7));
        assertEquals(2, count, "the other node's m1/0 is another delivery than ours");
    }
}
