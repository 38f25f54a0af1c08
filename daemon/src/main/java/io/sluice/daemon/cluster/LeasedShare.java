package io.sluice.daemon.cluster;

import io.lettuce.core.ScriptOutputType;
import io.sluice.daemon.egress.shaping.Gcra;
import io.sluice.daemon.egress.shaping.Rate;
import io.sluice.daemon.egress.shaping.SharedLimits;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's share of one key's global limits, answered from local state on delivery threads:
 * message slots leased ahead from the cluster's GCRA in Redis, and connection slots reserved in
 * the key's hash. {@link #sync} (on the cluster thread, never a delivery thread) renews both
 * where there is demand. While Redis is unreachable the share falls back to
 * {@code outage-share} of each limit, locally, and leases again once the link is back.
 */
final class LeasedShare implements SharedLimits.Share {
    /** Leased slots not spent within this long are dropped, so no node sits on slots the others could use. */
    static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Demand older than this no longer leases: a node with nothing to send takes nothing. */
    private static final long DEMAND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RedisLink link;
    private final LimitScripts scripts;
    private final String rateKey;
    private final String connectionKey;

    /* messages */
    private final AtomicLong slots = new AtomicLong();
    private volatile long leasedAt;
    private volatile long demandAt;
    private volatile Rate rate;
    private final Gcra fallback;

    /* connections */
    private volatile int cap = -1;
    private volatile int open;
    private volatile int reserved;
    private volatile boolean wantsConnection;
    private volatile long reservedAt;
    private volatile boolean renew = true;

    /* whether the last round ran on leases (false: on the outage share) */
    private volatile boolean leasing = true;

    LeasedShare(RedisLink link, LimitScripts scripts, String key) {
        this.link = link;
        this.scripts = scripts;
        this.rateKey = link.settings().key("limit:rate:" + key);
        this.connectionKey = link.settings().key("limit:connections:" + key);
        this.fallback = new Gcra(Rate.UNLIMITED, 1);
        this.demandAt = System.nanoTime() - 2 * DEMAND_NANOS; // no demand yet
    }

    private boolean local() {
        return !link.up();
    }

    /* ======================================================== delivery threads: local state only */

    @Override
    public boolean tryMessage(Rate rate, long nanos) {
        noteRate(rate);
        if (local()) {
            return fallback.tryAcquire(nanos);
        }
        demandAt = nanos;
        while (true) {
            long n = slots.get();
            if (n <= 0) {
                return false;
            }
            if (slots.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    @Override
    public void giveBack() {
        if (local()) {
            fallback.giveBack();
        } else {
            slots.incrementAndGet();
        }
    }

    @Override
    public long waitNanos(Rate rate, long nanos) {
        noteRate(rate);
        if (local()) {
            return fallback.waitNanos(nanos);
        }
        // the next lease comes with the next sync round
        return slots.get() > 0 ? 0 : link.settings().syncInterval().toNanos();
    }

    @Override
    public int connectionAllowance(int max, int open) {
        this.cap = max;
        this.open = open;
        if (local()) {
            return outageCap(max);
        }
        int r = Math.min(reserved, max);
        if (open >= r) {
            wantsConnection = true; // reserve one more at the next sync
        }
        return r;
    }

    @Override
    public void connectionsNow(int open) {
        this.open = open;
    }

    private void noteRate(Rate r) {
        if (!r.equals(rate)) {
            rate = r;
            fallback.setRate(r.scaled(link.settings().outageShare()));
        }
    }

    int outageCap(int max) {
        return Math.max(1, (int) Math.floor(max * link.settings().outageShare()));
    }

    /* ======================================================== the cluster thread */

    /**
     * One round: drops stale slots, leases more where there is demand, reserves or releases
     * connection slots. Blocks on Redis (bounded by the link's timeout); throws what Redis threw.
     */
    void sync(long now) {
        if (local()) {
            if (leasing) { // what was leased is forgotten: the outage share counts from now
                leasing = false;
                slots.set(0);
                reserved = 0; // Redis may come back without this node's entry: announce it again
                renew = true;
            }
            return;
        }
        leasing = true;
        syncMessages(now);
        syncConnections(now);
    }

    private void syncMessages(long now) {
        Rate r = rate;
        if (r == null || r.unlimited()) {
            return;
        }
        if (slots.get() > 0 && now - leasedAt > STALE_NANOS) {
            slots.set(0);
        }
        long interval = r.intervalNanos();
        long lease = link.settings().lease().toNanos();
        long want = Math.max(1, lease / interval);
        if (now - demandAt > DEMAND_NANOS || slots.get() > want / 2) {
            return;
        }
        long ahead = Math.max(lease, interval);
        long granted = link.<Long>eval(scripts.leaseSlots(), ScriptOutputType.INTEGER, new String[]{rateKey},
                String.valueOf(Math.max(1, interval / 1000)), String.valueOf(want),
                String.valueOf(Math.max(1, ahead / 1000)));
        if (granted > 0) {
            slots.addAndGet(granted);
            leasedAt = now;
        }
    }

    private void syncConnections(long now) {
        int max = cap;
        if (max < 0) {
            return; // never asked
        }
        int want = Math.min(max, open + (wantsConnection ? 1 : 0));
        long heartbeat = link.settings().nodeTtl().toNanos() / 3;
        if (!renew && want == reserved && (want == 0 || now - reservedAt < heartbeat)) {
            return;
        }
        wantsConnection = false;
        renew = false;
        long mine = link.<Long>eval(scripts.reserveConnections(), ScriptOutputType.INTEGER,
                new String[]{connectionKey}, link.settings().nodeId(), String.valueOf(want), String.valueOf(max),
                String.valueOf(link.settings().nodeTtl().toMillis()));
        reserved = (int) mine;
        reservedAt = now;
    }

    /** After Redis returns (perhaps empty, after a restart): say at once what this node holds. */
    void renewReservation() {
        renew = true;
    }

    /* for tests */
    long leasedSlots() {
        return slots.get();
    }

    int reservedConnections() {
        return reserved;
    }
}
