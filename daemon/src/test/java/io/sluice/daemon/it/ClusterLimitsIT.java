package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9: two nodes on different source addresses, one Redis, one receiver. The provider's
 * {@code total-message-rate} of R/min holds for the two nodes together at the sink (not R per
 * node), and is reached to at least 90% while both have a backlog.
 */
class ClusterLimitsIT {
    static final int PER_MINUTE = 600;
    static final double PER_SECOND = PER_MINUTE / 60.0;
    /** How far the shared rate may run ahead in any window: one lease (250 ms) plus the 1 s a leased slot lives, and one slot per node at each edge. */
    static final int BURST = (int) Math.ceil(PER_SECOND * 1.25) + 2;

    @Test
    void aProviderTotalHoldsForTheClusterInTotalAndIsNearlyReached(@TempDir Path dir) throws Exception {
        int perNode = 200; // 400 in all: 40 s of backlog at 10/s, so both nodes stay busy through the window
        double windowSeconds = 30;
        try (RedisServer redis = RedisServer.shared(dir.resolve("redis"));
             TwoNodeRig rig = new TwoNodeRig(dir, "127.0.0.51", redis.uri(), RedisServer.freshPrefix(),
                     PER_MINUTE + "/m", Map.of())) {
            AcknowledgedLoad loadA = new AcknowledgedLoad("ca", perNode);
            AcknowledgedLoad loadB = new AcknowledgedLoad("cb", perNode);
            loadA.start(rig.a.smtpPort(), 2);
            loadB.start(rig.b.smtpPort(), 2);
            loadA.awaitAcknowledged(perNode);
            loadB.awaitAcknowledged(perNode);

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (rig.delivered() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long from = System.nanoTime(); // past the start: both nodes have leased and are sending
            long to = from + (long) (windowSeconds * 1e9);
            Thread.sleep((long) (windowSeconds * 1000) + 200);
            int inWindow = rig.deliveredAt(to) - rig.deliveredAt(from);
            double allowed = PER_SECOND * windowSeconds;
            int inOneSecond = rig.maxInWindow(from, to, 1_000_000_000L);
            Map<String, Long> bySource = SinkWaits.bySource(rig.sink);
            System.out.printf("ClusterLimitsIT: total-message-rate %d/m over %.0f s: %d delivered (limit %.0f + burst %d,"
                            + " floor %.0f), %.2f/s; busiest second %d; by source so far %s%n",
                    PER_MINUTE, windowSeconds, inWindow, allowed, BURST, 0.9 * allowed, inWindow / windowSeconds,
                    inOneSecond, bySource);
            assertTrue(inWindow <= allowed + BURST, "the total holds for both nodes together: " + inWindow);
            assertTrue(inWindow >= 0.9 * allowed, "at least 90% of the total is reached: " + inWindow);
            assertTrue(bySource.getOrDefault("127.0.0.2", 0L) >= 0.25 * inWindow
                            && bySource.getOrDefault("127.0.0.3", 0L) >= 0.25 * inWindow,
                    "both nodes send their part: " + bySource);

            Map<String, Integer> seen = loadA.awaitDelivered(rig.sink, Duration.ofSeconds(90));
            Map<String, Integer> seenB = loadB.awaitDelivered(rig.sink, Duration.ofSeconds(30));
            assertTrue(seen.keySet().containsAll(loadA.acknowledged), "every message of node a arrived");
            assertTrue(seenB.keySet().containsAll(loadB.acknowledged), "every message of node b arrived");
            assertEquals(2 * perNode, rig.delivered(), "each exactly once");
        }
    }
}
