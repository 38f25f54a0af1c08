package io.sluice.daemon.cluster;

import io.lettuce.core.ScriptOutputType;
import io.sluice.daemon.egress.warmup.SharedWarmup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Warm-up budgets that hold for the whole cluster: a source's cap towards a provider for a UTC
 * day (and hour) counts what every node sent from that source.
 *
 * <p>Each (source, provider, day) has a Redis hash of claims, node id to units, and one per hour
 * when the schedule has hourly caps. A node's claim is what it sent plus what it holds leased and
 * has not handed out yet; the sum of the claims never passes the cap because units are only
 * leased by {@link #SYNC}, which grants {@code min(want, cap - sum)} atomically. Delivery threads
 * take units from the local lease and never wait for Redis; the cluster thread refills a lease
 * that runs low, in chunks of what the node sends in two {@code sluice.cluster.lease} periods at
 * its recent pace (2 to 64 units), and hands unused units back after {@code idleReturn} (1 s)
 * without demand, so that another node can send them. A node writes its
 * claim as an absolute number, not an increment: a retried or timed-out write cannot count twice,
 * and after an outage (even one that emptied Redis) every node's next write restores the truth.
 *
 * <p>While Redis is unreachable a node sends what it had leased and, on top of it, at most
 * {@code outage-share} of the budget it last saw remaining (of the cap, if it never saw Redis
 * that day). What it sent meanwhile is part of its claim and lands in Redis when Redis returns;
 * if Redis returns empty, a node counts the other nodes' claims it saw until they have written
 * theirs back (at most {@code node-ttl}). The exact bounds are in docs/scaling.md.
 */
public final class RedisSharedWarmup implements SharedWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSharedWarmup.class);

    /*
     * KEYS[1] the day's claims, KEYS[2] the hour's (absent when there is no hourly cap).
     * ARGV: node, day claim, hour claim, adopt day (1/0), adopt hour (1/0), want, day cap, hour cap,
     * day expiry, hour expiry (unix seconds), the data-set token this node saw last ('' if none),
     * a fresh token, day floor, hour floor (the other nodes' claims this node saw), hold the floors (1/0).
     * "Adopt" adds the claim to what the node had in Redis before it restarted instead of
     * replacing it. The field "~" of the day's hash is a token of the data set: another token than
     * the one this node saw means Redis lost the hash (a restart without persistence, a failover),
     * and then, until the other nodes have written their claims back, grants count against the
     * larger of the sum and the floor (the other nodes' claims this node saw before the loss) plus
     * its own. Returns {granted, day sum, hour sum, earlier day claim, earlier hour claim, lost (1/0),
     * token, the other nodes' day claims, their hour claims}.
     */
    static final String SYNC = """
            local node = ARGV[1]
            local function claim(key, units, adopt, expireAt)
              local before = tonumber(redis.call('HGET', key, node) or '0')
              if adopt == '1' then units = units + before end
              redis.call('HSET', key, node, units)
              redis.call('EXPIREAT', key, expireAt)
              return before, units
            end
            local function sum(key)
              local s = 0
              local kv = redis.call('HGETALL', key)
              for i = 1, #kv, 2 do
                if kv[i] ~= '~' then s = s + tonumber(kv[i + 1]) end
              end
              return s
            end
            local token = redis.call('HGET', KEYS[1], '~')
            if not token then
              token = ARGV[12]
              redis.call('HSET', KEYS[1], '~', token)
            end
            local lost = ARGV[11] ~= '' and token ~= ARGV[11]
            local floors = lost or ARGV[15] == '1'
            local hourly = #KEYS > 1
            local beforeDay, ownDay = claim(KEYS[1], tonumber(ARGV[2]), ARGV[4], ARGV[9])
            local beforeHour, ownHour = 0, 0
            if hourly then beforeHour, ownHour = claim(KEYS[2], tonumber(ARGV[3]), ARGV[5], ARGV[10]) end
            local day = sum(KEYS[1])
            local hour = 0
            local counted = day
            if floors then counted = math.max(day, tonumber(ARGV[13]) + ownDay) end
            local grant = math.min(tonumber(ARGV[6]), tonumber(ARGV[7]) - counted)
            if hourly then
              hour = sum(KEYS[2])
              counted = hour
              if floors then counted = math.max(hour, tonumber(ARGV[14]) + ownHour) end
              grant = math.min(grant, tonumber(ARGV[8]) - counted)
            end
            if grant > 0 then
              redis.call('HINCRBY', KEYS[1], node, grant)
              day = day + grant
              if hourly then
                redis.call('HINCRBY', KEYS[2], node, grant)
                hour = hour + grant
              end
            else
              grant = 0
            end
            return {grant, day, hour, beforeDay, beforeHour, lost and 1 or 0, token,
                    day - ownDay - grant, hour - ownHour - grant}
            """;

    /** Without demand for this long, a node hands its unused leased units back. */
    public static final Duration IDLE_RETURN = Duration.ofSeconds(1);

    private static final long MIN_CHUNK = 2;
    private static final long MAX_CHUNK = 64;
    private static final long UNLIMITED = Long.MAX_VALUE;
    /* While a node sends, it reads the remaining budget at least this often (its outage allowance). */
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RedisLink link;
    private final ClusterSettings settings;
    private final long idleNanos;
    private final long retryNanos;
    private final long leaseNanos;
    private final long syncNanos;
    private final LongSupplier nanos;
    private final Map<BudgetKey, Budget> budgets = new HashMap<>();
    private final Object syncing = new Object();
    private final AtomicBoolean refillQueued = new AtomicBoolean();
    private final long startedAt;
    private final long startupGrace;
    private volatile boolean reached;
    private long newestDay = Long.MIN_VALUE;

    public RedisSharedWarmup(RedisLink link) {
        this(link, IDLE_RETURN, System::nanoTime);
    }

    RedisSharedWarmup(RedisLink link, Duration idleReturn, LongSupplier nanos) {
        this.link = link;
        this.settings = link.settings();
        this.idleNanos = idleReturn.toNanos();
        this.retryNanos = settings.lease().toNanos();
        this.leaseNanos = settings.lease().toNanos();
        this.syncNanos = settings.syncInterval().toNanos();
        this.nanos = nanos;
        this.startedAt = nanos.getAsLong();
        this.startupGrace = settings.timeout().multipliedBy(2).plusSeconds(2).toNanos();
        long every = Math.max(1, settings.syncInterval().toMillis());
        link.timer().scheduleWithFixedDelay(this::syncQuietly, every, every, TimeUnit.MILLISECONDS);
        // Redis may have lost everything (a restart without persistence, a failover): re-assert every claim
        link.onReconnect(() -> {
            synchronized (this) {
                budgets.values().forEach(b -> b.dirty = true);
            }
            refillSoon();
        });
    }

    private record BudgetKey(String source, String provider, long epochDay) {
    }

    /** This node's share of one source's budget towards one provider on one UTC day. */
    private static final class Budget {
        final BudgetKey key;
        long dailyCap;
        long hourlyCap;
        long hour = Long.MIN_VALUE;
        long usedDay;       // units handed out and not given back, today (this node)
        long usedHour;      // the same, this hour
        long available;     // leased and not handed out yet
        boolean adoptedDay; // this node's claim from before a restart is counted
        boolean adoptedHour;
        boolean dirty;      // the claim changed other than by a grant: write it
        boolean starved;    // a take found nothing
        long lastDemand;
        long lastSync;
        long retryAt = Long.MIN_VALUE;
        long takenSinceSync;
        long remainingDay = -1;  // cap - sum of claims at the last sync; -1: never synced
        long remainingHour = -1;
        String token = "";  // the data set of Redis this node last wrote to ("" before the first write)
        long seenDay = -1;  // the other nodes' claims at the last sync
        long seenHour = -1;
        boolean holdingFloor; // Redis lost the hash: grants count against the sums seen before, for a while
        long floorDay = -1;
        long floorHour = -1;
        long floorUntil;
        long outageDay;     // units taken beyond the lease since the last sync
        long outageHour;

        Budget(BudgetKey key, long now) {
            this.key = key;
            this.lastSync = now;
        }

        boolean hourly() {
            return hourlyCap != UNLIMITED;
        }

        void enterHour(long h) {
            if (h == hour) {
                return;
            }
            if (hour != Long.MIN_VALUE && hourly() && available > 0) {
                available = 0; // leased against the past hour's cap: back to the day, re-leased for this hour
                dirty = true;
            }
            hour = h;
            usedHour = 0;
            outageHour = 0;
            remainingHour = -1;
            seenHour = -1;
            floorHour = -1;
            adoptedHour = false;
        }

        boolean outageAllows(double share) {
            if (outageDay >= (long) (share * (remainingDay < 0 ? dailyCap : remainingDay))) {
                return false;
            }
            return !hourly() || outageHour < (long) (share * (remainingHour < 0 ? hourlyCap : remainingHour));
        }

        long claimDay() {
            return usedDay + available;
        }

        long claimHour() {
            return usedHour + available;
        }
    }

    /** What one sync of a budget sends, taken under the lock. */
    private record Step(Budget budget, long hour, long claimDay, long claimHour, boolean adoptDay, boolean adoptHour,
                        long want, long outageDay, long outageHour, String token, long floorDay, long floorHour,
                        boolean holdFloor) {
    }

    @Override
    public boolean tryTake(String source, String provider, long epochDay, long dailyCap, long hour, long hourlyCap) {
        if (dailyCap == UNLIMITED && hourlyCap == UNLIMITED) {
            return true;
        }
        synchronized (this) {
            Budget b = budget(new BudgetKey(source, provider, epochDay));
            b.dailyCap = dailyCap;
            b.hourlyCap = hourlyCap;
            b.enterHour(hour);
            b.lastDemand = nanos.getAsLong();
            if (b.available > 0) {
                b.available--;
                take(b);
                return true;
            }
            if (!link.up() && outage()) {
                if (!b.outageAllows(settings.outageShare())) {
                    return false;
                }
                b.outageDay++;
                b.outageHour++;
                b.dirty = true;
                take(b);
                return true;
            }
            b.starved = true;
        }
        refillSoon();
        return false;
    }

    /*
     * Down, and not merely not connected yet: a node that has not reached Redis in its first
     * seconds runs on the outage allowance; before that it waits, as for an empty lease.
     */
    private boolean outage() {
        return reached || nanos.getAsLong() - startedAt > startupGrace;
    }

    private static void take(Budget b) {
        b.usedDay++;
        b.usedHour++;
        b.takenSinceSync++;
    }

    @Override
    public synchronized void giveBack(String source, String provider, long epochDay, long hour) {
        Budget b = budgets.get(new BudgetKey(source, provider, epochDay));
        if (b == null || b.usedDay == 0) {
            return; // a past day's unit: that budget is over
        }
        b.usedDay--;
        if (hour == b.hour && b.usedHour > 0) {
            b.usedHour--;
            b.available++; // back to the local lease: the next delivery takes it
        } else {
            b.dirty = true; // counted against a past hour: the claim shrinks
        }
    }

    private Budget budget(BudgetKey key) {
        if (key.epochDay() > newestDay) {
            newestDay = key.epochDay();
            budgets.keySet().removeIf(k -> k.epochDay() < newestDay); // yesterday's budgets expire in Redis
        }
        return budgets.computeIfAbsent(key, k -> new Budget(k, nanos.getAsLong()));
    }

    private void refillSoon() {
        if (refillQueued.compareAndSet(false, true)) {
            try {
                link.timer().execute(() -> {
                    refillQueued.set(false);
                    syncQuietly();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                refillQueued.set(false); // shutting down
            }
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            // a Redis failure marked the link down: the outage allowance takes over and the next sync retries
            if (link.up()) {
                LOG.warn("cluster warm-up sync failed: {}", e.toString(), e);
            }
        }
    }

    /** One pass over the budgets: refill, return, re-assert, each a single script call. */
    void sync() {
        synchronized (syncing) {
            List<Budget> all;
            synchronized (this) {
                all = new ArrayList<>(budgets.values());
            }
            for (Budget b : all) {
                if (!link.up()) {
                    return;
                }
                Step step;
                synchronized (this) {
                    step = step(b, nanos.getAsLong());
                }
                if (step != null) {
                    run(step);
                }
            }
        }
    }

    private Step step(Budget b, long now) {
        boolean demand = now - b.lastDemand <= idleNanos;
        if (!demand && b.available > 0) {
            b.available = 0; // nobody here wants them: let the other nodes have them
            b.dirty = true;
        }
        // lease what this node sends in about one lease period at its recent pace (twice that ahead)
        double perNano = b.takenSinceSync / (double) Math.max(now - b.lastSync, leaseNanos);
        long ahead = Math.max(1, (long) Math.ceil(perNano * leaseNanos));
        long want = 0;
        if (demand && (b.starved || b.available < ahead) && now >= b.retryAt) {
            want = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, 2 * ahead - b.available));
        }
        boolean stale = demand && now - b.lastSync >= REFRESH_NANOS;
        if (want == 0 && !b.dirty && !stale && b.adoptedDay && (b.adoptedHour || !b.hourly())) {
            return null;
        }
        if (b.holdingFloor && now - b.floorUntil > 0) {
            b.holdingFloor = false; // node-ttl passed: a node that has not written its claim back by now is gone
        }
        return new Step(b, b.hour, b.claimDay(), b.claimHour(), !b.adoptedDay, b.hourly() && !b.adoptedHour, want,
                b.outageDay, b.outageHour, b.token, b.holdingFloor ? b.floorDay : b.seenDay,
                b.holdingFloor ? b.floorHour : b.seenHour, b.holdingFloor);
    }

    private void run(Step s) {
        Budget b = s.budget();
        BudgetKey k = b.key;
        boolean hourly;
        long dailyCap;
        long hourlyCap;
        synchronized (this) {
            hourly = b.hourly();
            dailyCap = b.dailyCap;
            hourlyCap = b.hourlyCap;
        }
        String dayKey = settings.key("warmup:{" + k.source() + "|" + k.provider() + "}:" + k.epochDay());
        String[] keys = hourly ? new String[] {dayKey, dayKey + ":h" + s.hour()} : new String[] {dayKey};
        List<Object> r = link.eval(SYNC, ScriptOutputType.MULTI, keys, settings.nodeId(),
                String.valueOf(s.claimDay()), String.valueOf(s.claimHour()), s.adoptDay() ? "1" : "0",
                s.adoptHour() ? "1" : "0", String.valueOf(s.want()), String.valueOf(dailyCap),
                String.valueOf(hourlyCap), String.valueOf((k.epochDay() + 2) * 86_400),
                String.valueOf((s.hour() + 2) * 3_600), s.token(), UUID.randomUUID().toString(),
                String.valueOf(s.floorDay()), String.valueOf(s.floorHour()), s.holdFloor() ? "1" : "0");
        long granted = (Long) r.get(0);
        long daySum = (Long) r.get(1);
        long hourSum = (Long) r.get(2);
        boolean lost = (Long) r.get(5) == 1;
        long othersDay = (Long) r.get(7);
        long othersHour = (Long) r.get(8);
        reached = true;
        LOG.debug("warm-up {}: claim {} (adopt {}), want {}: granted {}, the cluster's claims {} of {}",
                keys[keys.length - 1], s.claimDay(), s.adoptDay(), s.want(), granted, daySum, dailyCap);
        if (lost) {
            LOG.warn("CLUSTER: Redis lost the warm-up counts of {}; node {} wrote its claim back and counts at least "
                    + "the {} the other nodes had claimed, until they have written theirs back (or {} passed)", dayKey,
                    settings.nodeId(), s.floorDay(), settings.nodeTtl());
        }
        long now = nanos.getAsLong();
        synchronized (this) {
            boolean sameHour = s.hour() == b.hour;
            // whatever changed while the script ran is written at the next pass
            b.dirty = b.claimDay() != s.claimDay() || (hourly && (!sameHour || b.claimHour() != s.claimHour()));
            b.token = (String) r.get(6);
            if (lost) {
                b.holdingFloor = true;
                b.floorDay = s.floorDay();
                b.floorHour = s.floorHour();
                b.floorUntil = now + settings.nodeTtl().toNanos();
            } else if (b.holdingFloor && othersDay >= b.floorDay && (!hourly || !sameHour || othersHour >= b.floorHour)) {
                b.holdingFloor = false; // every claim it knew of is back
            }
            if (s.adoptDay()) {
                b.usedDay += (Long) r.get(3); // sent (or leased) before this node restarted: stays counted as sent
                b.adoptedDay = true;
            }
            if (sameHour) {
                if (s.adoptHour()) {
                    b.usedHour += (Long) r.get(4);
                    b.adoptedHour = true;
                }
                b.available += granted;
                b.seenHour = hourly ? othersHour : -1;
                b.remainingHour = hourly ? Math.max(0, hourlyCap - hourSum - Math.max(0, floor(b, s.floorHour()) - othersHour)) : -1;
                b.outageHour -= Math.min(b.outageHour, s.outageHour());
            } else if (granted > 0) {
                b.dirty = true; // granted for an hour that has passed: not usable, the claim drops again
            }
            b.seenDay = othersDay;
            b.remainingDay = Math.max(0, dailyCap - daySum - Math.max(0, floor(b, s.floorDay()) - othersDay));
            b.outageDay -= Math.min(b.outageDay, s.outageDay());
            b.takenSinceSync = 0;
            b.lastSync = now;
            if (granted > 0 && sameHour) {
                b.starved = false;
            } else if (s.want() > 0) {
                b.retryAt = now + retryNanos; // the cluster has none left for now: ask again later, not at once
            }
        }
    }

    private static long floor(Budget b, long floor) {
        return b.holdingFloor ? floor : -1;
    }

    /** This node's leased, unsent units of the budget (tests look at it). */
    synchronized long leased(String source, String provider, long epochDay) {
        Budget b = budgets.get(new BudgetKey(source, provider, epochDay));
        return b == null ? 0 : b.available;
    }
}
