package io.sluice.daemon.cluster;

import io.sluice.daemon.outcome.feedback.SoftBounceCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Shares soft-bounce counts between nodes, so N bounces about a recipient suppress it whichever
 * nodes drew them. Each soft bounce this node records is queued (the delivery thread never waits)
 * and published on the channel {@code <prefix>soft-bounces} by the cluster thread; the bounces other
 * nodes publish are added to the local counters (persisted there, never published again). The
 * decision stays local: the node that sees the Nth bounce suppresses, and the suppression itself
 * travels as every suppression does ({@link ClusterSuppression}).
 *
 * <p>While Redis is unreachable a node keeps counting its own bounces and keeps what it could not
 * send (at most {@value #OUTBOX} bounces, the oldest dropped first) until the link returns.
 * Pub/sub does not replay what a node missed while it was away: a missed bounce only delays a
 * suppression by one more bounce, never causes one.
 */
public final class ClusterSoftBounces implements SoftBounceCounters.Share, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSoftBounces.class);
    static final int OUTBOX = 100_000;

    private final RedisLink link;
    private final SoftBounceCounters counters;
    private final String channel;
    private final String node;
    private final Deque<SoftBounceCounters.SoftBounce> outbox = new ArrayDeque<>();

    public ClusterSoftBounces(RedisLink link, SoftBounceCounters counters) {
        this.link = link;
        this.counters = counters;
        this.channel = link.settings().key("soft-bounces");
        this.node = link.settings().nodeId();
        link.subscribe(channel, message -> link.timer().execute(() -> heard(message)));
        link.timer().scheduleWithFixedDelay(this::flush, 0, Math.max(50, link.settings().syncInterval().toMillis()),
                TimeUnit.MILLISECONDS);
        counters.shareWith(this);
    }

    @Override
    public void recorded(SoftBounceCounters.SoftBounce bounce) {
        synchronized (outbox) {
            if (outbox.size() >= OUTBOX) {
                outbox.pollFirst();
            }
            outbox.addLast(bounce);
        }
    }

    /* On the cluster thread: sends what is queued while the link is up, keeps the rest. */
    void flush() {
        while (link.up()) {
            SoftBounceCounters.SoftBounce b;
            synchronized (outbox) {
                b = outbox.pollFirst();
            }
            if (b == null) {
                return;
            }
            if (!link.publish(channel, encode(node, b))) {
                synchronized (outbox) {
                    outbox.addFirst(b);
                }
                return;
            }
        }
    }

    void heard(String message) {
        try {
            SoftBounceCounters.SoftBounce b = decode(node, message);
            if (b != null) {
                counters.applyShared(b);
            }
        } catch (RuntimeException e) {
            LOG.warn("CLUSTER: soft bounce from another node not applied: {}", e.toString());
        }
    }

    /**
     * Another node's soft bounce, or null for this node's own echo or a malformed message. The other
     * node's delivery names its own spool, so it is prefixed with that node's name: ids never collide.
     */
    static SoftBounceCounters.SoftBounce decode(String self, String message) {
        String[] f = message.split("\t", -1);
        if (f.length != 5 || f[0].equals(self) || f[1].isEmpty() || f[2].isEmpty()) {
            return null;
        }
        long at;
        try {
            at = Long.parseLong(f[3]);
        } catch (NumberFormatException e) {
            return null;
        }
        return new SoftBounceCounters.SoftBounce(f[1], f[2], Instant.ofEpochMilli(at), f[4].isEmpty() ? null : f[0] + "/" + f[4]);
    }

    /** node, tenant, recipient, epoch millis, delivery (may be empty), TAB-separated. */
    static String encode(String node, SoftBounceCounters.SoftBounce b) {
        return node + '\t' + b.tenant() + '\t' + b.recipient() + '\t' + b.at().toEpochMilli() + '\t'
                + (b.delivery() == null ? "" : b.delivery());
    }

    /** Bounces waiting for the link. */
    int pending() {
        synchronized (outbox) {
            return outbox.size();
        }
    }

    @Override
    public void close() {
        counters.shareWith(null);
    }
}
