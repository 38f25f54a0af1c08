package io.sluice.daemon.egress.shaping;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider's limits across all of this node's sources ({@code total-message-rate},
 * {@code total-max-connections}) and, through its {@link SharedLimits.Share share} of the
 * {@code provider:NAME} key, across all nodes of a cluster. One per provider, shared by every
 * source's {@link ProviderThrottle} towards it: a message or a connection needs both its
 * source's limit and this total. Thread-safe.
 */
public final class ProviderTotal {
    private final AtomicInteger connections = new AtomicInteger();
    private final SharedRate messages;
    private final SharedLimits.Share share;
    private volatile int maxConnections;

    public ProviderTotal(ProviderRule rule, SharedLimits.Share share) {
        this.share = share;
        this.messages = new SharedRate(rule.totalMessageRate(), share);
        this.maxConnections = rule.totalMaxConnections();
    }

    /** The key of a provider's totals in {@link SharedLimits}. */
    public static String key(String provider) {
        return "provider:" + provider;
    }

    /** After a reload. */
    public void update(ProviderRule fresh) {
        messages.setRate(fresh.totalMessageRate());
        maxConnections = fresh.totalMaxConnections();
    }

    public Rate rate() {
        return messages.rate();
    }

    /** Takes one message slot of the provider's total rate (this node's pacing and its cluster share). */
    public boolean tryMessage(long nanos) {
        return messages.tryTake(nanos);
    }

    public long waitMessageNanos(long nanos) {
        return messages.waitNanos(nanos);
    }

    /** Takes one connection slot of the provider's total cap if there is room (on this node, in its share). */
    public boolean tryOpenConnection() {
        int max = maxConnections;
        if (max == ProviderRule.NO_TOTAL) {
            connections.incrementAndGet(); // counted all the same: a cap added by a reload sees what is open
            return true;
        }
        while (true) {
            int open = connections.get();
            if (open >= share.connectionAllowance(max, open)) {
                return false;
            }
            if (connections.compareAndSet(open, open + 1)) {
                share.connectionsNow(open + 1);
                return true;
            }
        }
    }

    public void releaseConnection() {
        share.connectionsNow(connections.decrementAndGet());
    }

    /** Connections open to the provider from this node. */
    public int connections() {
        return connections.get();
    }
}
