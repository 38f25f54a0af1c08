package io.sluice.daemon.egress.shaping;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limits of one source towards one provider, across all sites: open connections, the
 * message rate and the connection rate (GCRA, burst 1: never ahead of the rate), and an
 * adaptive-backoff throttle that lowers the message rate and connections for a while. In a
 * cluster the rate and the cap are global: a message or connection needs both this node's
 * pacing and its {@link SharedLimits.Share share} of the cluster's limit. And a message or a
 * connection also needs the provider's {@link ProviderTotal} (all sources, all nodes).
 */
public final class ProviderThrottle {
    public final AtomicInteger connections = new AtomicInteger();
    private volatile ProviderRule rule;
    private final SharedRate messages;
    private final Gcra connects;
    private volatile Instant throttledUntil = Instant.MIN;
    private volatile double factor = 1.0;
    private final SharedLimits.Share share;
    private final ProviderTotal total;

    /** One source on one node: nothing shared, the rule's totals for this source alone. */
    public ProviderThrottle(ProviderRule rule) {
        this(rule, SharedLimits.Share.UNSHARED, new ProviderTotal(rule, SharedLimits.Share.UNSHARED));
    }

    /** @param total the provider's totals, one object for all sources towards it */
    public ProviderThrottle(ProviderRule rule, SharedLimits.Share share, ProviderTotal total) {
        this.rule = rule;
        this.share = share;
        this.total = total;
        this.messages = new SharedRate(rule.messageRate(), share);
        this.connects = new Gcra(rule.connectionRate(), 1);
    }

    public ProviderRule rule() {
        return rule;
    }

    /** After a reload. */
    public void update(ProviderRule fresh) {
        this.rule = fresh;
        connects.setRate(fresh.connectionRate());
        messages.setRate(fresh.messageRate().scaled(factor));
    }

    public void throttle(double by, Instant until) {
        factor = by;
        throttledUntil = until;
        messages.setRate(rule.messageRate().scaled(by));
    }

    public boolean throttled(Instant now) {
        if (factor < 1.0 && !now.isBefore(throttledUntil)) {
            factor = 1.0;
            messages.setRate(rule.messageRate());
        }
        return factor < 1.0;
    }

    public Rate currentRate() {
        return messages.rate();
    }

    /** Takes one message slot: the source's rate (this node and its share), then the provider's total. */
    public boolean tryMessage(long nanos) {
        if (!messages.tryTake(nanos)) {
            return false;
        }
        if (total.tryMessage(nanos)) {
            return true;
        }
        messages.giveBack(); // the total said no: the source's slot goes back for the next message
        return false;
    }

    /** Nanoseconds until the message rate (the source's and the provider total's) admits one more. */
    public long waitMessageNanos(long nanos) {
        return Math.max(messages.waitNanos(nanos), total.waitMessageNanos(nanos));
    }

    public boolean tryConnect(long nanos) {
        return connects.tryAcquire(nanos);
    }

    /** Connections allowed now: the rule's cap, at most 1 while throttled, within this node's share. */
    public int maxConnections(Instant now) {
        int cap = throttled(now) ? 1 : rule.maxConnections();
        return share.connectionAllowance(cap, connections.get());
    }

    /** Takes a connection slot of this source's cap and of the provider's total; false: no room now. */
    public boolean tryOpenConnection(Instant now) {
        while (true) {
            int open = connections.get();
            if (open >= maxConnections(now)) {
                return false;
            }
            if (connections.compareAndSet(open, open + 1)) {
                break;
            }
        }
        if (total.tryOpenConnection()) {
            share.connectionsNow(connections.get());
            return true;
        }
        share.connectionsNow(connections.decrementAndGet());
        return false;
    }

    /** A connection taken by {@link #tryOpenConnection} closed (or was never opened). */
    public void releaseConnection() {
        share.connectionsNow(connections.decrementAndGet());
        total.releaseConnection();
    }
}
