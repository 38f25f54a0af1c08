package io.sluice.daemon.cluster;

import io.sluice.daemon.egress.shaping.SharedLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Provider limits shared by the nodes of a cluster through Redis: each key's message rate is one
 * GCRA in Redis (Lua, on Redis's clock) from which nodes lease slots a little ahead, and each
 * key's connection cap is a hash of per-node reservations that lapse when a node stops renewing
 * them. Delivery threads only read and update local state ({@link LeasedShare}); the cluster
 * thread renews leases every {@code sync-interval}, one round trip per key with demand.
 */
public final class RedisSharedLimits implements SharedLimits, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSharedLimits.class);

    private final RedisLink link;
    private final LimitScripts scripts = LimitScripts.load();
    private final Map<String, LeasedShare> shares = new ConcurrentHashMap<>();
    private final long every;
    private volatile ScheduledFuture<?> syncing;
    private volatile boolean closed;

    public RedisSharedLimits(RedisLink link) {
        this.link = link;
        this.every = link.settings().syncInterval().toNanos();
        link.onReconnect(() -> shares.values().forEach(LeasedShare::renewReservation));
        scheduleNext();
    }

    /*
     * Each round comes after a random delay of 0.5 to 1.5 sync intervals. With a fixed period two
     * nodes keep their phase, and the one that asks just after each new slot accrues takes it
     * every time (one node got 172 of 210 slots in a run under load); a random order gives each
     * node with demand the same chance.
     */
    private void scheduleNext() {
        if (closed) {
            return;
        }
        long delay = every / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, every));
        syncing = link.timer().schedule(() -> {
            try {
                sync();
            } finally {
                scheduleNext();
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    @Override
    public Share share(String key) {
        return shares.computeIfAbsent(key, k -> new LeasedShare(link, scripts, k));
    }

    /* One round over every key; the first failure ends it (the link is down until a PING answers). */
    void sync() {
        long now = System.nanoTime();
        for (LeasedShare s : shares.values()) {
            try {
                s.sync(now);
            } catch (RuntimeException e) {
                LOG.debug("shared limits: sync failed, on local limits until Redis answers: {}", e.toString());
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> s = syncing;
        if (s != null) {
            s.cancel(false);
        }
    }
}
