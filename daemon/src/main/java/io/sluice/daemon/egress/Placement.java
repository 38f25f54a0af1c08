package io.sluice.daemon.egress;

import io.sluice.daemon.egress.schedule.FairQueues;
import io.sluice.daemon.egress.schedule.QueueKey;
import io.sluice.daemon.egress.schedule.ScheduledQueue;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.shaping.Suspensions;
import io.sluice.daemon.egress.sources.Pool;
import io.sluice.daemon.egress.sources.Source;
import io.sluice.daemon.egress.tls.TlsOutcome;
import io.sluice.daemon.egress.warmup.WarmupBudgets;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, for the head of one scheduled queue, which egress path takes it now: the domain's
 * route must be known, nothing may hold the domain, tenant, campaign, path, or the tenant, campaign
 * or source towards the provider, the path's ready queue must have room and the source's warm-up budget a unit left.
 * Sources are tried in the pool's weighted order. A refused route bounces what waits, an
 * unavailable one or a site whose every path rests defers it. Runs on the scheduler thread.
 */
final class Placement implements FairQueues.Mover<Delivery> {
    /** Addresses tried per connection attempt, as Postfix's smtp_mx_address_limit. */
    private static final int ADDRESSES_PER_ATTEMPT = 5;

    private final FairQueues<Delivery> queues;
    private final RouteCache routes;
    private final EgressPaths paths;
    private final Suspensions holds;
    private final WarmupBudgets warmup;
    private final EgressConfig.InForce config;
    private final AttemptOutcomes after;
    private final Clock clock;
    private final WindowWait windows;
    private long turn;

    Placement(FairQueues<Delivery> queues, RouteCache routes, EgressPaths paths, Suspensions holds,
              WarmupBudgets warmup, EgressConfig.InForce config, AttemptOutcomes after, Clock clock, WindowWait windows) {
        this.windows = windows;
        this.queues = queues;
        this.routes = routes;
        this.paths = paths;
        this.holds = holds;
        this.warmup = warmup;
        this.config = config;
        this.after = after;
        this.clock = clock;
    }

    /** Puts a due delivery in its scheduled queue. */
    void enqueue(Delivery d) {
        queues.add(QueueKey.of(d.attributes(), d.domain()), d);
    }

    @Override
    public FairQueues.Move tryMove(ScheduledQueue<Delivery> q) {
        Instant now = clock.instant();
        QueueKey key = q.key();
        if (!holds.isEmpty() && (holds.holds(new HoldScope.Domain(key.domain()), now)
                || holds.holds(new HoldScope.Tenant(key.tenant()), now)
                || holds.holds(new HoldScope.Campaign(key.campaign()), now))) {
            return FairQueues.Move.BLOCKED;
        }
        DomainRoute route = routes.route(key.domain(), now);
        if (route == null || route.pending()) {
            return FairQueues.Move.BLOCKED;
        }
        if (route.decision() instanceof RouteDecision.Refused refused) {
            for (Delivery d : queues.drain(q)) {
                after.decided(d.nextAttempt(), refused.reply(), null);
            }
            return FairQueues.Move.BLOCKED;
        }
        if (route.decision() instanceof RouteDecision.Unavailable unavailable) {
            routes.forget(key.domain()); // ask again at the next attempt
            TlsOutcome tls = unavailable.tlsPolicy() == null ? null : TlsOutcome.failed(unavailable.tlsPolicy());
            for (Delivery d : queues.drain(q)) {
                after.decided(d.nextAttempt(), unavailable.reply(), null, tls);
            }
            return FairQueues.Move.BLOCKED;
        }
        return place(q, key, route, now);
    }

    /* The route is known: the first source of the pool whose path may take the head now. */
    private FairQueues.Move place(ScheduledQueue<Delivery> q, QueueKey key, DomainRoute route, Instant now) {
        RouteDecision.Targets targets = (RouteDecision.Targets) route.decision();
        Delivery d = q.peek();
        if (!windows.admit(d)) { // its window closed while it waited its turn: back to the wheel
            q.poll();
            return FairQueues.Move.MOVED;
        }
        Pool pool = config.plan().poolFor(d.attributes().get("pool"), nullIfDefault(key.campaign()),
                nullIfDefault(key.tenant()));
        ProviderRule rule = route.rule();
        if (!holds.isEmpty() && (holds.holds(new HoldScope.TenantProvider(key.tenant(), rule.name()), now)
                || holds.holds(new HoldScope.CampaignProvider(key.campaign(), rule.name()), now))) {
            return FairQueues.Move.BLOCKED; // the circuit breaker paused this sender towards the provider
        }
        EgressPath restingPath = null;
        boolean anyUp = false;
        for (Source source : pool.order(turn++)) {
            List<RouteDecision.Target> usable = sameFamily(source, targets.targets());
            if (usable.isEmpty()) {
                continue;
            }
            EgressPath path = paths.path(source, route.site(), rule, usable);
            if (path.isDown(now)) {
                restingPath = path;
                continue;
            }
            anyUp = true;
            if (!holds.isEmpty() && (holds.holds(new HoldScope.Path(source.name(), route.site()), now)
                    || holds.holds(new HoldScope.SourceProvider(source.name(), rule.name()), now)
                    || holds.holds(HoldScope.SourceProvider.everywhere(source.name()), now))
                    || path.readyCount.get() >= readyRoom(rule)
                    || !warmup.tryTake(source, rule.name())) {
                continue;
            }
            q.poll();
            path.add(d);
            return FairQueues.Move.MOVED;
        }
        if (!anyUp && restingPath != null) {
            // every path to the site rests: defer what waits, as one would after trying
            for (Delivery waiting : queues.drain(q)) {
                after.decided(waiting.nextAttempt(), restingPath.downReply(), restingPath.downUntil());
            }
        }
        return FairQueues.Move.BLOCKED;
    }

    private static String nullIfDefault(String s) {
        return QueueKey.DEFAULT.equals(s) ? null : s;
    }

    /*
     * How many deliveries a path holds for its sessions: what they sign and send next. Bounded, so
     * when signing and sending fall behind, the scheduler stops placing and the rest waits in the
     * fair queues (deliveries only; bodies stay in the spool), not in a queue in front of the workers.
     */
    static int readyRoom(ProviderRule rule) {
        return Math.max(4, rule.maxConnectionsPerPath() * 2);
    }

    /* The targets a source may try: its own address family only, at most five per attempt. */
    private static List<RouteDecision.Target> sameFamily(Source source, List<RouteDecision.Target> targets) {
        if (source.address() == null) {
            return targets.size() <= ADDRESSES_PER_ATTEMPT ? targets : targets.subList(0, ADDRESSES_PER_ATTEMPT);
        }
        boolean v4 = source.address() instanceof Inet4Address;
        List<RouteDecision.Target> out = new ArrayList<>(Math.min(targets.size(), ADDRESSES_PER_ATTEMPT));
        for (RouteDecision.Target t : targets) {
            if ((t.address().getAddress() instanceof Inet4Address) == v4 && out.size() < ADDRESSES_PER_ATTEMPT) {
                out.add(t);
            }
        }
        return out;
    }
}
