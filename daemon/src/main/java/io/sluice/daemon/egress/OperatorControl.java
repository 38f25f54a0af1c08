package io.sluice.daemon.egress;

import io.sluice.daemon.egress.shaping.HoldBroadcast;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.egress.shaping.Suspensions;
import io.sluice.daemon.egress.warmup.WarmupBudgets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;

/**
 * What an operator does to the running engine: hold a scope and resume it (told to the other
 * nodes through {@link HoldBroadcast}, and taking theirs), and reload the egress and rules files.
 * Holding a path sends its ready deliveries back to wait; nothing held is bounced.
 */
final class OperatorControl {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorControl.class);

    private final Suspensions holds;
    private final HoldBroadcast broadcast;
    private final AttemptOutcomes after;
    private final EgressPaths paths;
    private final EgressFiles files;
    private final EgressConfig.InForce config;
    private final WarmupBudgets warmup;
    private final RouteCache routes;
    private final Placement placement;
    private final Mailbox mailbox;

    OperatorControl(Suspensions holds, HoldBroadcast broadcast, AttemptOutcomes after, EgressPaths paths,
                    EgressFiles files, EgressConfig.InForce config, WarmupBudgets warmup, RouteCache routes,
                    Placement placement, Mailbox mailbox) {
        this.holds = holds;
        this.broadcast = broadcast;
        this.after = after;
        this.paths = paths;
        this.files = files;
        this.config = config;
        this.warmup = warmup;
        this.routes = routes;
        this.placement = placement;
        this.mailbox = mailbox;
    }

    /** Starts taking the holds other nodes' operators place. */
    void listen() {
        broadcast.listen(new HoldBroadcast.Receiver() {
            @Override
            public void suspend(String scope, Instant until) {
                hold(fromAnotherNode(scope), until);
            }

            @Override
            public void resume(String scope) {
                release(fromAnotherNode(scope));
            }
        });
    }

    /* The broadcast carries the text form; a node only ever sends forms it parsed itself. */
    private static HoldScope fromAnotherNode(String scope) {
        return HoldScope.parse(scope);
    }

    /** Holds a scope by an operator's hand, here and on the other nodes. */
    void suspend(HoldScope scope, Instant until) {
        hold(scope, until);
        broadcast.suspended(scope.toString(), until);
    }

    /**
     * Holds a scope by a rule of Sluice's own (the circuit breaker), here and on the other nodes:
     * the same hold as an operator's, lifted by the same resume or when {@code until} passes.
     */
    void suspendByRule(HoldScope scope, Instant until, String rule, String reason, String provider) {
        holds.suspend(scope, new Suspensions.Hold(until, rule, reason));
        after.publishShaping("Suspension", scope, provider, rule, null, until, reason);
        broadcast.suspended(scope.toString(), until);
        mailbox.wake();
    }

    /** Resumes a scope here and on the other nodes; true when it was held here. */
    boolean resume(HoldScope scope) {
        boolean was = release(scope);
        broadcast.resumed(scope.toString());
        return was;
    }

    private void hold(HoldScope scope, Instant until) {
        holds.suspend(scope, new Suspensions.Hold(until, "admin", "suspended by an operator"));
        after.publishShaping("Suspension", scope, null, "admin", null, until);
        if (scope instanceof HoldScope.Path held) {
            for (EgressPath p : paths.all(held.source(), held.site())) {
                after.requeueReady(p);
            }
        }
    }

    private boolean release(HoldScope scope) {
        boolean was = holds.resume(scope);
        if (was) {
            after.publishShaping("Resumption", scope, null, "admin", null, null);
            mailbox.wake();
        }
        return was;
    }

    /**
     * Re-reads the egress file and the rules file. All or nothing: a file that cannot be used
     * throws a ConfigException and the running configuration stays. Queued mail is kept: ready
     * deliveries go back to their scheduled queues and are placed again under the new rules.
     */
    EgressConfig reload() {
        EgressConfig fresh = files.read();
        mailbox.ask(() -> {
            config.replace(fresh);
            warmup.replacePlan(fresh.plan());
            routes.clear();
            paths.reload(fresh.plan(), fresh.rules());
            for (EgressPath p : new ArrayList<>(paths.all())) {
                Delivery x;
                while ((x = p.poll()) != null) {
                    warmup.giveBack(p.source, p.provider());
                    placement.enqueue(x);
                }
                paths.dropIfIdle(p);
            }
            return null;
        });
        LOG.info("egress configuration reloaded: {} pools, {} provider rules, {} reply rules",
                fresh.plan().pools().size(), fresh.rules().providers().size(), fresh.rules().replies().size());
        return fresh;
    }
}
