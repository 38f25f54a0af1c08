package io.sluice.daemon.egress;

import io.sluice.daemon.egress.schedule.FairQueues;
import io.sluice.daemon.egress.schedule.TimerWheel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * The scheduler thread: each tick it takes the {@link Mailbox}, fires due timers into their
 * scheduled queues, lets {@link Placement} move queue heads to ready queues in fair order, opens
 * connections for paths with ready work, and publishes what it holds as an
 * {@link EgressSnapshot} for operators. It alone touches the timers, the scheduled queues and the route cache.
 * Made idle; {@link #start()} starts the thread. Unit tests call {@link #tick()} themselves.
 */
final class SchedulerLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);
    private static final int MOVES_PER_TICK = 20_000;
    /*
     * How long the scheduler waits, unwakeably, after a tick that took work from the mailbox: the
     * delay a delivery may gain before its placement at full load, bought with one timed park per
     * millisecond instead of a wake per message (see Mailbox).
     */
    private static final long BUSY_PAUSE_NANOS = 1_000_000;

    private final Mailbox mailbox;
    private final Clock clock;
    private final Duration tick;
    private final FairQueues<Delivery> queues;
    private final TimerWheel<Delivery> wheel;
    private final Placement placement;
    private final Sessions sessions;
    private final EgressPaths paths;
    private final RouteCache routes;
    private final EgressConfig.InForce config;
    private final EgressSnapshot.Publisher snapshots;
    private final WindowWait windows;
    private Thread thread;
    private long lastPrune;

    SchedulerLoop(Mailbox mailbox, Clock clock, Duration tick, FairQueues<Delivery> queues, TimerWheel<Delivery> wheel,
                  Placement placement, Sessions sessions, EgressPaths paths, RouteCache routes,
                  EgressConfig.InForce config, EgressSnapshot.Publisher snapshots, WindowWait windows) {
        this.windows = windows;
        this.mailbox = mailbox;
        this.clock = clock;
        this.tick = tick;
        this.queues = queues;
        this.wheel = wheel;
        this.placement = placement;
        this.sessions = sessions;
        this.paths = paths;
        this.routes = routes;
        this.config = config;
        this.snapshots = snapshots;
    }

    void start() {
        thread = new Thread(this::run, "sluice-scheduler");
        thread.setDaemon(true);
        mailbox.ownedBy(thread);
        thread.start();
    }

    private void run() {
        long tickNanos = Math.max(1, tick.toNanos());
        long pauseNanos = Math.min(tickNanos, BUSY_PAUSE_NANOS);
        while (!mailbox.closed()) {
            mailbox.beginTick();
            boolean tookWork = false;
            try {
                tookWork = tick();
            } catch (RuntimeException e) {
                LOG.error("scheduler tick failed", e);
            }
            if (tookWork) {
                mailbox.pause(pauseNanos);
            } else {
                mailbox.sleep(tickNanos);
            }
        }
    }

    /**
     * One round of the scheduler's work; on the scheduler thread (or a unit test's). True when it
     * took anything from the mailbox.
     */
    boolean tick() {
        long now = clock.millis();
        boolean tookWork = false;
        Object item;
        while ((item = mailbox.poll()) != null) {
            tookWork = true;
            if (item instanceof Mailbox.Timed t) {
                if (t.dueMillis() <= now) {
                    enqueueInWindow(t.delivery());
                } else {
                    wheel.schedule(t.delivery(), t.dueMillis());
                }
            } else {
                runTask((Runnable) item);
            }
        }
        wheel.advance(now, this::enqueueInWindow);
        if (queues.waiting() > 0) {
            queues.promote(placement, t -> config.plan().tenantWeight(t), MOVES_PER_TICK);
        }
        for (EgressPath p : paths.all()) {
            if (!p.idle.isEmpty()) {
                sessions.expireIdle(p, now);
            }
            if (p.readyCount.get() > 0) {
                try {
                    sessions.pump(p);
                } catch (RuntimeException e) { // one path's trouble must not keep the others from their connections
                    LOG.error("opening connections via {} to {} failed", p.source.describe(), p.site, e);
                }
            }
        }
        if (now - lastPrune >= 60_000) {
            lastPrune = now;
            routes.prune(clock.instant());
        }
        snapshots.maybePublish(now, queues, wheel);
        return tookWork;
    }

    /* A due delivery joins its scheduled queue, unless its delivery window is closed: then back on the wheel. */
    private void enqueueInWindow(Delivery d) {
        if (windows.admit(d)) {
            placement.enqueue(d);
        }
    }

    /* A posted task that throws must not cut the tick short: the rest of the mailbox is still taken. */
    private static void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("a task on the scheduler thread failed", e);
        }
    }

    /** Stops the thread after its current tick (the mailbox is closed first). */
    void join() {
        if (thread == null) {
            return;
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
