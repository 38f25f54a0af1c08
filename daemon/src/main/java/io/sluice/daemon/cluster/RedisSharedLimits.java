package io.sluice.daemon.cluster;

import io.sluice.daemon.shaping.SharedLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
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
    private final ScheduledFuture<?> syncing;

    public RedisSharedLimits(RedisLink link) {
        this.link = link;
        long every = link.settings().syncInterval().toNanos();
        this.syncing = link.timer().scheduleWithFixedDelay(this::sync, every, every, TimeUnit.NANOSECONDS);
        link.onReconnect(() -> shares.values().forEach(LeasedShare::renewReservation));
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
        syncing.cancel(false);
    }
}
