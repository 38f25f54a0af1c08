package io.sluice.daemon.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.sluice.daemon.egress.shaping.HoldBroadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Operator suspends and resumes, carried to every node. Each one is published on
 * {@code <prefix>holds} (carrying the node that made it, so that node ignores its own echo) and
 * kept in the hash {@code <prefix>holds:active}: scope to {@code until|stamp} (epoch millis; until
 * 0 marks a resume), which a node reads when it starts, when Redis returns after an outage and
 * every ten seconds. So a node that started later, or missed a message, applies the holds in force
 * and lifts the ones resumed meanwhile. What an operator does while Redis is unreachable is applied
 * locally at once and sent when Redis returns, in order.
 *
 * <p>The stamp is the operator's time: a write older than what the hash holds for the scope is
 * ignored, so the last action wins wherever and whenever it arrives. If Redis comes back empty (a
 * restart without persistence: the key {@code <prefix>holds:epoch} changed), each node first
 * writes back the holds it knows to be in force, with their original stamps; a resume made in the
 * meantime has a later stamp and still wins.
 *
 * <p>Everything here runs one task at a time on the cluster thread: the Lettuce thread that
 * delivers a message only queues it, and the admin thread that suspends does not wait for Redis.
 */
public final class RedisHoldBroadcast implements HoldBroadcast {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHoldBroadcast.class);

    /** How often a node re-reads the active holds, healing any pub/sub message it missed. */
    static final Duration RESYNC = Duration.ofSeconds(10);
    /** How long the hash remembers a resume (so an older suspend written back later loses to it). */
    static final Duration RESUME_MEMORY = Duration.ofDays(1);

    /*
     * KEYS[1] the holds; ARGV: scope, until (0: resumed), stamp, channel, message (empty: do not publish).
     * The last action by stamp wins; two suspends keep the later end, as Suspensions does.
     */
    private static final String WRITE = """
            local cur = redis.call('HGET', KEYS[1], ARGV[1])
            local untilMs, stamp = tonumber(ARGV[2]), tonumber(ARGV[3])
            if cur then
              local u, s = string.match(cur, '^(%d+)|(%d+)$')
              if s and tonumber(s) > stamp then return 0 end
              if u and untilMs > 0 and tonumber(u) > untilMs then untilMs = tonumber(u) end
            end
            redis.call('HSET', KEYS[1], ARGV[1], string.format('%d|%d', untilMs, stamp))
            if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
            return 1
            """;

    private static final String FORGET = """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
            return 0
            """;

    private final RedisLink link;
    private final Clock clock;
    private final String node;
    private final String channel;
    private final String active;
    private final String epochKey;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    // the fields below belong to the task in progress (one at a time)
    private final Deque<Op> outbox = new ArrayDeque<>();
    private final Map<String, Op> known = new HashMap<>();
    private Receiver receiver;
    private boolean resyncDue = true;
    private Instant nextResync = Instant.MIN;
    private String epoch;

    /** An operator's action: a suspend until {@code until}, or a resume (until null), made at {@code stamp}. */
    private record Op(String scope, Instant until, Instant stamp) {
        boolean suspend() {
            return until != null;
        }
    }

    public RedisHoldBroadcast(RedisLink link) {
        this(link, Clock.systemUTC());
    }

    RedisHoldBroadcast(RedisLink link, Clock clock) {
        this.link = link;
        this.clock = clock;
        this.node = link.settings().nodeId();
        this.channel = link.settings().key("holds");
        this.active = link.settings().key("holds:active");
        this.epochKey = link.settings().key("holds:epoch");
    }

    @Override
    public void suspended(String scope, Instant until) {
        Op op = new Op(scope, until, clock.instant());
        serially(() -> {
            known.put(scope, op);
            outbox.add(op);
            flush();
        });
    }

    @Override
    public void resumed(String scope) {
        Op op = new Op(scope, null, clock.instant());
        serially(() -> {
            known.remove(scope);
            outbox.add(op);
            flush();
        });
    }

    @Override
    public void listen(Receiver r) {
        serially(() -> receiver = r);
        link.subscribe(channel, message -> serially(() -> heard(message)));
        link.onReconnect(() -> serially(() -> resyncDue = true));
        link.timer().scheduleWithFixedDelay(() -> serially(this::catchUp), 0, 250, TimeUnit.MILLISECONDS);
    }

    /* ------------------------------------------------------------ one task at a time */

    private void serially(Runnable task) {
        tasks.add(task);
        drain();
    }

    private void drain() {
        while (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            try {
                link.timer().execute(() -> {
                    try {
                        Runnable t;
                        while ((t = tasks.poll()) != null) {
                            try {
                                t.run();
                            } catch (RuntimeException e) {
                                LOG.warn("cluster hold task failed: {}", e.toString());
                            }
                        }
                    } finally {
                        running.set(false);
                        drain(); // a task queued after the last poll
                    }
                });
                return;
            } catch (RejectedExecutionException e) {
                running.set(false); // shutting down
                return;
            }
        }
    }

    /* ------------------------------------------------------------ the tasks */

    /** Sends what this node's operator did, oldest first; stops at the first failure (Redis is down). */
    private void flush() {
        while (!outbox.isEmpty()) {
            if (!link.up()) {
                return;
            }
            Op op = outbox.peek();
            String message = String.join("\t", node, op.suspend() ? "S" : "R", op.scope(),
                    String.valueOf(op.suspend() ? op.until().toEpochMilli() : 0), String.valueOf(op.stamp().toEpochMilli()));
            try {
                write(op, message);
            } catch (RuntimeException e) {
                return; // kept, sent when Redis returns
            }
            outbox.poll();
        }
    }

    private void write(Op op, String message) {
        link.eval(WRITE, ScriptOutputType.INTEGER, new String[] {active}, op.scope(),
                String.valueOf(op.suspend() ? op.until().toEpochMilli() : 0), String.valueOf(op.stamp().toEpochMilli()),
                channel, message);
    }

    private void heard(String message) {
        String[] f = message.split("\t");
        if (f.length != 5 || f[0].equals(node) || receiver == null) {
            return; // our own, already applied here
        }
        Instant stamp = Instant.ofEpochMilli(Long.parseLong(f[4]));
        if ("S".equals(f[1])) {
            Instant until = Instant.ofEpochMilli(Long.parseLong(f[3]));
            known.put(f[2], new Op(f[2], until, stamp));
            receiver.suspend(f[2], until);
        } else if ("R".equals(f[1])) {
            known.remove(f[2]);
            receiver.resume(f[2]);
        }
    }

    /* On start, after an outage and now and then: send what waits, then adopt the cluster's holds. */
    private void catchUp() {
        Instant now = clock.instant();
        if (receiver == null || !link.up() || (!resyncDue && now.isBefore(nextResync))) {
            return;
        }
        flush();
        if (!outbox.isEmpty()) {
            return;
        }
        RedisCommands<String, String> c = link.commands();
        if (c == null) {
            return;
        }
        Map<String, String> holds;
        try {
            String current = c.get(epochKey);
            if (current == null) {
                c.setnx(epochKey, UUID.randomUUID().toString());
                current = c.get(epochKey);
            }
            if (epoch != null && !epoch.equals(current)) {
                LOG.warn("cluster: Redis lost the operator holds; node {} writes back the {} it knows",
                        node, known.size());
                for (Op op : known.values()) {
                    if (now.isBefore(op.until())) {
                        write(op, "");
                    }
                }
            }
            epoch = current;
            holds = c.hgetall(active);
        } catch (RuntimeException e) {
            link.failed(e);
            return;
        }
        Set<String> inForce = new HashSet<>();
        holds.forEach((scope, value) -> {
            String[] f = value.split("\\|");
            Instant until = Instant.ofEpochMilli(Long.parseLong(f[0]));
            Instant stamp = Instant.ofEpochMilli(Long.parseLong(f[1]));
            if (!now.isBefore(until)) {
                if (until.toEpochMilli() > 0 || stamp.isBefore(now.minus(RESUME_MEMORY))) {
                    forget(scope, value); // over: nobody needs to learn it any more
                }
                return;
            }
            inForce.add(scope);
            Op mine = known.get(scope);
            if (mine == null || !until.equals(mine.until())) {
                known.put(scope, new Op(scope, until, stamp));
                receiver.suspend(scope, until);
            }
        });
        for (String scope : Set.copyOf(known.keySet())) {
            if (!inForce.contains(scope)) {
                Op gone = known.remove(scope);
                if (now.isBefore(gone.until())) {
                    receiver.resume(scope); // resumed elsewhere while we were not listening
                }
            }
        }
        resyncDue = false;
        nextResync = now.plus(RESYNC);
    }

    /* Deletes a spent entry unless someone rewrote it since we read it. */
    private void forget(String scope, String value) {
        try {
            link.eval(FORGET, ScriptOutputType.INTEGER, new String[] {active}, scope, value);
        } catch (RuntimeException e) {
            LOG.debug("cannot forget the hold on {}: {}", scope, e.toString());
        }
    }
}
