package io.sluice.daemon.egress;

import io.sluice.daemon.cluster.Shared;
import io.sluice.daemon.egress.tls.TlsReporter;
import io.sluice.daemon.egress.tls.TlsSessionResults;
import io.sluice.daemon.config.EgressSettings;
import io.sluice.daemon.egress.schedule.FairQueues;
import io.sluice.daemon.egress.schedule.TimerWheel;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.egress.shaping.ShapingRules;
import io.sluice.daemon.egress.shaping.Suspensions;
import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.daemon.egress.warmup.ProgressWriter;
import io.sluice.daemon.egress.warmup.WarmupBudgets;
import io.sluice.daemon.egress.window.WindowPolicy;
import io.sluice.daemon.operate.events.Event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The egress engine as the rest of the daemon sees it: hand over deliveries, reload, close, and
 * the reads {@link EgressView} needs. The work is done by its parts, each with one job:
 * {@link SchedulerLoop} (the thread, its {@link Mailbox} and tick), {@link Placement} (scheduled
 * queue to egress path), {@link RouteCache}, {@link EgressPaths}, {@link Sessions} (connections,
 * TLS, pacing, batching), {@link SendAssembly} (VERP, header fields, DKIM), {@link AttemptOutcomes}
 * (outcomes and reply rules) and {@link OperatorControl} (holds, reload); warm-up progress is
 * written by a {@link ProgressWriter}. Making it reads no file and starts no thread;
 * {@link #start()} does (wired by {@link EgressWiring}).
 */
public final class Dispatcher implements AutoCloseable {

    /** What the engine is made from: its collaborators outside egress, settings and executors. */
    record Wiring(RouteLookup lookup, Transport transport, DeliveryOutcomes outcomes, SendAssembly assembly,
                  Consumer<Event> events, Clock clock, EgressFiles files, EgressConfig config, WarmupBudgets warmup,
                  Shared shared, Duration downFor, EgressSettings egress, Executor work,
                  ScheduledExecutorService paced, WindowPolicy windows, TlsReporter tlsReporter) {

        /** Without configured delivery windows (a message's own window still counts) and without TLS-RPT (unit tests). */
        Wiring(RouteLookup lookup, Transport transport, DeliveryOutcomes outcomes, SendAssembly assembly,
               Consumer<Event> events, Clock clock, EgressFiles files, EgressConfig config, WarmupBudgets warmup,
               Shared shared, Duration downFor, EgressSettings egress, Executor work,
               ScheduledExecutorService paced) {
            this(lookup, transport, outcomes, assembly, events, clock, files, config, warmup, shared, downFor, egress,
                    work, paced, WindowPolicy.NONE, TlsReporter.NONE);
        }
    }

    private final Wiring wiring;
    private final Mailbox mailbox = new Mailbox();
    private final EgressConfig.InForce config;
    private final Suspensions holds = new Suspensions();
    private final FairQueues<Delivery> queues = new FairQueues<>();
    private final TimerWheel<Delivery> wheel;
    private final EgressPaths paths;
    private final RouteCache routes;
    private final Sessions sessions;
    private final OperatorControl control;
    private final SchedulerLoop scheduler;
    private final EgressSnapshot.Publisher snapshots = new EgressSnapshot.Publisher();
    private final ProgressWriter progress;

    Dispatcher(Wiring w) {
        this.wiring = w;
        this.config = new EgressConfig.InForce(w.config());
        this.wheel = new TimerWheel<>(Math.max(1, w.egress().tick().toMillis()), 1024, w.clock().millis());
        this.paths = new EgressPaths(new ProviderLimits(w.shared().limits()));
        this.routes = new RouteCache(w.lookup(), config, w.clock(), w.egress().routeTtl(), mailbox);
        AttemptOutcomes after = new AttemptOutcomes(w.outcomes(), w.lookup(), config, holds, w.warmup(), w.events(),
                w.clock(), w.downFor(), mailbox);
        WindowWait windows = new WindowWait(w.windows(), wheel, w.outcomes(), w.clock());
        Placement placement = new Placement(queues, routes, paths, holds, w.warmup(), config, after, w.clock(), windows);
        this.sessions = new Sessions(w.transport(), w.assembly(), after, w.outcomes(), holds, w.warmup(), w.clock(),
                w.egress().brokenTlsMemory(), w.egress().connectionIdleTime(), w.work(), w.paced(), mailbox,
                new TlsSessionResults(w.tlsReporter()));
        this.control = new OperatorControl(holds, w.shared().holds(), after, paths, w.files(), config, w.warmup(),
                routes, placement, mailbox);
        this.scheduler = new SchedulerLoop(mailbox, w.clock(), w.egress().tick(), queues, wheel, placement, sessions,
                paths, routes, config, snapshots, windows);
        this.progress = new ProgressWriter(w.warmup());
    }

    /** Starts the scheduler thread and the warm-up writer, and takes other nodes' holds. */
    void start() {
        control.listen();
        progress.start();
        scheduler.start();
    }

    /* ================================================================ entry points */

    /** Hands over a delivery that is due now. */
    public void submit(Delivery delivery) {
        submitAt(delivery, null);
    }

    /**
     * Hands over a delivery that is due later (a retry, a {@code send_at}); either way it waits
     * further while its delivery window is closed.
     */
    public void submitAt(Delivery delivery, Instant due) {
        mailbox.submitAt(delivery, due);
    }

    /**
     * Re-reads the egress file and the rules file. All or nothing: a file that cannot be used
     * throws a ConfigException and the running configuration stays.
     */
    public void reload() {
        control.reload();
    }

    /* ================================================================ for the circuit breaker */

    /**
     * Holds {@code scope} until {@code until} by a rule of Sluice's own ({@code rule}, e.g.
     * {@code breaker:complaint-pause}), here and on the other nodes; lifted by an operator's
     * resume or when {@code until} passes. Mail waits; nothing is bounced.
     */
    public void holdByRule(HoldScope scope, Instant until, String rule, String reason, String provider) {
        control.suspendByRule(scope, until, rule, reason, provider);
    }

    /** The hold in force on {@code scope} now, or null. */
    public Suspensions.Hold holding(HoldScope scope) {
        return holds.holding(scope, wiring.clock().instant());
    }

    /** Lifts a hold placed by a rule of Sluice's own, here and on the other nodes; true when it was held here. */
    public boolean releaseByRule(HoldScope scope) {
        return control.resume(scope);
    }

    /** The egress file in force: sources and pools. */
    public EgressPlan egressPlan() {
        return config.plan();
    }

    /** True when a hold is in force on {@code scope} now. */
    public boolean isHeld(HoldScope scope) {
        return holds.holds(scope, wiring.clock().instant());
    }

    /** True when the provider rule says the provider sends ARF complaint reports. */
    public boolean hasFeedbackLoop(String provider) {
        return config.rules().hasFeedbackLoop(provider);
    }

    /* ================================================================ for EgressView and unit tests */

    /** Runs {@code query} on the scheduler thread (which owns the queues) and returns its answer. */
    <T> T onScheduler(Function<Dispatcher, T> query) {
        return mailbox.ask(() -> query.apply(this));
    }

    /** One scheduler round on the caller's thread: for unit tests, which do not start the thread. */
    void tick() {
        scheduler.tick();
    }

    /** What the scheduler last published: read without waiting for it. */
    EgressSnapshot snapshot() {
        return snapshots.latest();
    }

    Suspensions suspensions() {
        return holds;
    }

    WarmupBudgets warmup() {
        return wiring.warmup();
    }

    EgressPlan plan() {
        return config.plan();
    }

    ShapingRules rules() {
        return config.rules();
    }

    FairQueues<Delivery> queues() {
        return queues;
    }

    TimerWheel<Delivery> wheel() {
        return wheel;
    }

    RouteCache routes() {
        return routes;
    }

    Collection<EgressPath> paths() {
        return paths.all();
    }

    Sessions sessions() {
        return sessions;
    }

    Clock clock() {
        return wiring.clock();
    }

    void suspendByOperator(HoldScope scope, Instant until) {
        control.suspend(scope, until);
    }

    boolean resumeByOperator(HoldScope scope) {
        return control.resume(scope);
    }

    @Override
    public void close() {
        if (mailbox.closed()) {
            return;
        }
        mailbox.close();
        scheduler.join();
        sessions.closeIdle(paths.all()); // before the timers and workers stop: each QUIT gives its slot back
        progress.close(); // the last warm-up progress
        wiring.paced().shutdownNow();
        if (wiring.work() instanceof ExecutorService work) {
            work.shutdown();
            try {
                work.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
