package io.sluice.daemon.cluster;

import io.sluice.daemon.outcome.tokens.SentDelivery;
import io.sluice.daemon.outcome.tokens.SentMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shares the Message-ID index between nodes, so a bounce that lost its token matches mail any node
 * sent, whichever node it reaches. Each delivery this node notes is queued (the sending thread
 * never waits) and published by the cluster thread on the channel {@code <prefix>sent-messages},
 * up to {@value #BATCH} per message; the deliveries other nodes publish go into the local index
 * (persisted there, bounded by its capacity, never published again). Lookups stay local: a bounce
 * never waits on Redis.
 *
 * <p>As with soft-bounce counts, this is best effort: while Redis is unreachable a node keeps what
 * it could not send (at most {@value #OUTBOX} deliveries, the oldest dropped first), and pub/sub
 * does not replay what a node missed while it was away. A delivery missed there only means a
 * bounce of it, received by that node, is not matched: one count fewer towards N, never a
 * suppression (a Message-ID match never suppresses on its own).
 */
public final class ClusterSentMessages implements SentMessages.Share, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSentMessages.class);
    static final int OUTBOX = 100_000;
    static final int BATCH = 500;

    private final RedisLink link;
    private final SentMessages index;
    private final String channel;
    private final String node;
    private final Deque<SentDelivery> outbox = new ArrayDeque<>();

    public ClusterSentMessages(RedisLink link, SentMessages index) {
        this.link = link;
        this.index = index;
        this.channel = link.settings().key("sent-messages");
        this.node = link.settings().nodeId();
        link.subscribe(channel, message -> link.timer().execute(() -> heard(message)));
        link.timer().scheduleWithFixedDelay(this::flush, 0, Math.max(50, link.settings().syncInterval().toMillis()),
                TimeUnit.MILLISECONDS);
        index.shareWith(this);
    }

    @Override
    public void sent(SentDelivery delivery) {
        synchronized (outbox) {
            if (outbox.size() >= OUTBOX) {
                outbox.pollFirst();
            }
            outbox.addLast(delivery);
        }
    }

    /* On the cluster thread: sends what is queued, a batch per message, while the link is up. */
    void flush() {
        while (link.up()) {
            List<SentDelivery> batch = new ArrayList<>();
            synchronized (outbox) {
                while (batch.size() < BATCH && !outbox.isEmpty()) {
                    batch.add(outbox.pollFirst());
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            if (!link.publish(channel, encode(node, batch))) {
                synchronized (outbox) {
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        outbox.addFirst(batch.get(i));
                    }
                    while (outbox.size() > OUTBOX) {
                        outbox.pollFirst();
                    }
                }
                return;
            }
        }
    }

    void heard(String message) {
        List<SentDelivery> deliveries = decode(node, message);
        for (SentDelivery d : deliveries) {
            index.applyShared(d);
        }
    }

    /** The node's name on the first line, then one {@link SentDelivery#line()} per line. */
    static String encode(String node, List<SentDelivery> batch) {
        StringBuilder sb = new StringBuilder(node.length() + batch.size() * 128);
        sb.append(node);
        for (SentDelivery d : batch) {
            sb.append('\n').append(d.line());
        }
        return sb.toString();
    }

    /**
     * Another node's deliveries: none for this node's own echo; a line that does not read as a
     * delivery is skipped (logged). Spool message ids are ULIDs, unique across nodes, so they are kept
     * as the sending node wrote them, as a VERP token resolved on another node names them too.
     */
    static List<SentDelivery> decode(String self, String message) {
        String[] lines = message.split("\n", -1);
        if (lines.length < 2 || lines[0].equals(self) || lines[0].isEmpty()) {
            return List.of();
        }
        List<SentDelivery> out = new ArrayList<>(lines.length - 1);
        int bad = 0;
        for (int i = 1; i < lines.length; i++) {
            var d = SentDelivery.parse(lines[i]);
            if (d.isPresent()) {
                out.add(d.get());
            } else {
                bad++;
            }
        }
        if (bad > 0) {
            LOG.warn("CLUSTER: {} unreadable Message-ID index entries from node {} skipped", bad, lines[0]);
        }
        return out;
    }

    /** Deliveries waiting for the link. */
    int pending() {
        synchronized (outbox) {
            return outbox.size();
        }
    }

    @Override
    public void close() {
        index.shareWith(null);
    }
}
