package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Site;

import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.egress.sources.Pool;
import io.sluice.daemon.egress.sources.Source;
import io.sluice.daemon.egress.schedule.QueueKey;
import io.sluice.daemon.egress.schedule.ScheduledQueue;
import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.egress.warmup.WarmupBudgets;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the admin API shows of the egress engine and what it may change: queues, suspensions,
 * warm-up progress, the rule in force for a domain, reload. Queue counts come from the snapshot
 * the scheduler publishes (no waiting); "why" still runs on the scheduler thread and may wait for
 * it, so its callers run on a blocking executor, never on an HTTP event loop.
 */
@Singleton
public final class EgressView {
    /** One scheduled queue. */
    @Serdeable
    public record ScheduledInfo(String tenant, String campaign, String domain, boolean transactional, int waiting) {
    }

    /** One egress path. */
    @Serdeable
    public record PathInfo(String path, String source, String site, String provider, int ready, int connections,
                           Instant downUntil, String rate) {
    }

    @Serdeable
    public record Queues(long waiting, int scheduledQueues, long timers, List<ScheduledInfo> scheduled,
                         List<PathInfo> paths) {
    }

    @Serdeable
    public record Hold(String scope, Instant until, String rule, String reason) {
    }

    @Serdeable
    public record Limits(String provider, int maxConnectionsPerPath, int maxConnections,
                         int maxDeliveriesPerConnection, String messageRate, String connectionRate, String tls) {
        static Limits of(ProviderRule r) {
            return new Limits(r.name(), r.maxConnectionsPerPath(), r.maxConnections(), r.maxDeliveriesPerConnection(),
                    r.messageRate().toString(), r.connectionRate().toString(),
                    r.tls().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** "Why is this mail waiting?" for one domain. */
    @Serdeable
    public record Why(String domain, String route, String site, List<String> mxHosts, Limits rule, int waiting,
                      List<Hold> holds, List<PathInfo> paths, List<String> poolSources) {
    }

    private final Dispatcher dispatcher;

    public EgressView(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Totals for metrics: deliveries waiting in scheduled queues and timers, ready, and open connections. */
    public record Depth(long waiting, long timers, long ready, long connections) {
    }

    /** Pool names of the plan in force. */
    public java.util.Set<String> poolNames() {
        return dispatcher.plan().pools().keySet();
    }

    /** Totals from the scheduler's last snapshot and the paths' live counters; never waits. */
    public Depth depth() {
        long ready = 0;
        long connections = 0;
        for (EgressPath p : dispatcher.paths()) {
            ready += p.readyCount.get();
            connections += p.connections.get();
        }
        EgressSnapshot s = dispatcher.snapshot();
        return new Depth(s.waiting(), s.timers(), ready, connections);
    }

    /** The largest {@code limit} scheduled queues (from the scheduler's last snapshot) and every path; never waits. */
    public Queues queues(int limit) {
        EgressSnapshot s = dispatcher.snapshot();
        return new Queues(s.waiting(), s.scheduledQueues(), s.timers(),
                s.scheduled().subList(0, Math.min(limit, s.scheduled().size())), paths(null));
    }

    private List<PathInfo> paths(Site site) {
        Instant now = dispatcher.clock().instant();
        List<PathInfo> out = new ArrayList<>();
        for (EgressPath p : dispatcher.paths()) {
            if (site == null || site.equals(p.site)) {
                out.add(new PathInfo(p.key, p.source.describe(), p.site.name(), p.provider(), p.readyCount.get(),
                        p.connections.get(), p.isDown(now) ? p.downUntil() : null, p.throttle.currentRate().toString()));
            }
        }
        out.sort(Comparator.comparing(PathInfo::path));
        return out;
    }

    /** True when the provider rule says the provider sends ARF complaint reports (else its complaint rate is unknown). */
    public boolean hasFeedbackLoop(String provider) {
        return dispatcher.hasFeedbackLoop(provider);
    }

    public List<Hold> suspensions() {
        List<Hold> out = new ArrayList<>();
        dispatcher.suspensions().all(dispatcher.clock().instant()).forEach((scope, h) ->
                out.add(new Hold(scope.toString(), h.until(), h.rule(), h.reason())));
        return out;
    }

    /**
     * @param scope domain:D, tenant:T, campaign:C, path:SOURCE>SITE, source:SOURCE>PROVIDER,
     *              tenant:T>PROVIDER or campaign:C>PROVIDER
     * @throws IllegalArgumentException for another scope
     */
    public Hold suspend(String scope, Duration duration) {
        HoldScope parsed = HoldScope.parse(scope);
        Instant until = dispatcher.clock().instant().plus(duration);
        dispatcher.suspendByOperator(parsed, until);
        return new Hold(parsed.toString(), until, "admin", "suspended by an operator");
    }

    public boolean resume(String scope) {
        return dispatcher.resumeByOperator(HoldScope.parse(scope));
    }

    public List<WarmupBudgets.Status> warmup() {
        return dispatcher.warmup().status();
    }

    public Why why(String domainOrAddress) {
        String domain = Delivery.domainOf(domainOrAddress.contains("@") ? domainOrAddress : "x@" + domainOrAddress);
        return dispatcher.onScheduler(d -> {
            Instant now = d.clock().instant();
            DomainRoute route = d.routes().known(domain);
            int waiting = 0;
            for (ScheduledQueue<Delivery> q : d.queues().queues()) {
                if (q.key().domain().equals(domain)) {
                    waiting += q.size();
                }
            }
            String describe;
            Site site = null;
            List<String> mx = List.of();
            ProviderRule rule = d.rules().fallback();
            if (route == null) {
                describe = "not looked up yet (nothing queued for it recently)";
            } else if (route.pending()) {
                describe = "DNS lookup in progress";
            } else if (route.decision() instanceof RouteDecision.Targets t) {
                describe = "deliverable until " + route.expires();
                site = route.site();
                mx = t.mxHosts();
                rule = route.rule();
            } else if (route.decision() instanceof RouteDecision.Refused r) {
                describe = "refused: " + r.reply();
            } else {
                describe = "unavailable: " + ((RouteDecision.Unavailable) route.decision()).reply();
            }
            List<Hold> holds = new ArrayList<>();
            String provider = rule.name();
            Site atSite = site;
            d.suspensions().all(now).forEach((s, h) -> {
                if (s.equals(new HoldScope.Domain(domain)) || s instanceof HoldScope.Tenant
                        || s instanceof HoldScope.Campaign
                        || s instanceof HoldScope.Path p && p.site().equals(atSite)
                        || s instanceof HoldScope.SourceProvider sp && (sp.provider().equals(provider)
                                || sp.provider().equals(HoldScope.SourceProvider.ANY))
                        || s instanceof HoldScope.TenantProvider tp && tp.provider().equals(provider)
                        || s instanceof HoldScope.CampaignProvider cp && cp.provider().equals(provider)) {
                    holds.add(new Hold(s.toString(), h.until(), h.rule(), h.reason()));
                }
            });
            Pool pool = d.plan().poolFor(null, null, null);
            List<String> sources = new ArrayList<>();
            for (Source s : pool.sources()) {
                sources.add(s.describe() + (s.warmup() == null ? "" : " (warm-up " + s.warmup().schedule() + ")"));
            }
            return new Why(domain, describe, site == null ? null : site.name(), mx, Limits.of(rule), waiting, holds,
                    paths(site), sources);
        });
    }

    /** Re-reads pools, schedules and rules; a ConfigException leaves the running configuration in place. */
    public Map<String, Integer> reload() {
        dispatcher.reload();
        return Map.of("pools", dispatcher.plan().pools().size(), "providers", dispatcher.rules().providers().size(),
                "replies", dispatcher.rules().replies().size());
    }
}
