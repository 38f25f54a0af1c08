package io.sluice.daemon.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.sluice.daemon.shaping.HoldBroadcast;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Operator suspends and resumes, carried to every node. Each one is published on
 * {@code <prefix>holds} (carrying the node that made it, so that node ignores its own echo) and
 * kept in the hash {@code <prefix>holds:active} (scope to the end of the hold, epoch millis), which
 * a node reads when it starts, when Redis returns after an outage and every ten seconds: a node
 * that started later, or missed a message, applies the holds in force and lifts the ones resumed
 * meanwhile. What an operator does while Redis is unreachable is applied locally at once and sent
 * when Redis returns, in order.
 *
 * <p>Everything here runs one task at a time on the cluster thread: the Lettuce thread that
 * delivers a message only queues it, and the admin thread that suspends does not wait for Redis.
 */
public final class RedisHoldBroadcast implements HoldBroadcast {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHoldBroadcast.class);

    /** How often a node re-reads the active holds, healing any pub/sub message it missed. */
    static final Duration RESYNC = Duration.ofSeconds(10);

    /* KEYS[1] active holds; ARGV: channel, message, scope, until. Keeps the later end, as Suspensions does. */
    private static final String SUSPEND = """
            local until = tonumber(redis.call('HGET', KEYS[1], ARGV[3]) or '0')
            if tonumber(ARGV[4]) > until then redis.call('HSET', KEYS[1], ARGV[3], ARGV[4]) end
            return redis.call('PUBLISH', ARGV[1], ARGV[2])
            """;
    /* KEYS[1] active holds; ARGV: channel, message, scope. */
    private static final String RESUME = """
            redis.call('HDEL', KEYS[1], ARGV[3])
            return redis.call('PUBLISH', ARGV[1], ARGV[2])
            """;

    private final RedisLink link;
    private final Clock clock;
    private final String node;
    private final String channel;
    private final String active;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    // the fields below belong to the task in progress (one at a time)
    private final Deque<Op> outbox = new ArrayDeque<>();
    private final Map<String, Instant> known = new HashMap<>();
    private Receiver receiver;
    private boolean resyncDue = true;
    private Instant nextResync = Instant.MIN;

    /** An operator's action on this node, to be told to the others. */
    private record Op(String scope, Instant until) {
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
    }

    @Override
    public void suspended(String scope, Instant until) {
        serially(() -> {
            known.put(scope, until);
            outbox.add(new Op(scope, until));
            flush();
        });
    }

    @Override
    public void resumed(String scope) {
        serially(() -> {
            known.remove(scope);
            outbox.add(new Op(scope, null));
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
            String message = node + "\t" + (op.suspend() ? "S" : "R") + "\t" + op.scope() + "\t"
                    + (op.suspend() ? op.until().toEpochMilli() : 0);
            try {
                if (op.suspend()) {
                    link.eval(SUSPEND, ScriptOutputType.INTEGER, new String[] {active}, channel, message, op.scope(),
                            String.valueOf(op.until().toEpochMilli()));
                } else {
                    link.eval(RESUME, ScriptOutputType.INTEGER, new String[] {active}, channel, message, op.scope());
                }
            } catch (RuntimeException e) {
                return; // kept, sent when Redis returns
            }
            outbox.poll();
        }
    }

    private void heard(String message) {
        String[] f = message.split("\t");
        if (f.length != 4 || f[0].equals(node) || receiver == null) {
            return; // our own, already applied here
        }
        if ("S".equals(f[1])) {
            Instant until = Instant.ofEpochMilli(Long.parseLong(f[3]));
            known.put(f[2], until);
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
            holds = c.hgetall(active);
        } catch (RuntimeException e) {
            link.failed(e);
            return;
        }
        Set<String> inForce = new HashSet<>();
        holds.forEach((scope, millis) -> {
            Instant until = Instant.ofEpochMilli(Long.parseLong(millis));
            if (!now.isBefore(until)) {
                try {
                    c.hdel(active, scope); // over: nobody needs to learn it any more
                } catch (RuntimeException e) {
                    link.failed(e);
                }
                return;
            }
            inForce.add(scope);
            if (!until.equals(known.get(scope))) {
                known.put(scope, until);
                receiver.suspend(scope, until);
            }
        });
        for (String scope : Set.copyOf(known.keySet())) {
            if (!inForce.contains(scope)) {
                Instant until = known.remove(scope);
                if (now.isBefore(until)) {
                    receiver.resume(scope); // resumed elsewhere while we were not listening
                }
            }
        }
        resyncDue = false;
        nextResync = now.plus(RESYNC);
    }
}
