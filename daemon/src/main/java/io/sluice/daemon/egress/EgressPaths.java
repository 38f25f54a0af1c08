package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Site;

import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.daemon.egress.shaping.ShapingRules;
import io.sluice.daemon.egress.sources.Source;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every egress path in use (source x site), made on first use, and the {@link ProviderLimits}
 * their throttles come from. A path is dropped at reload when it has no connection, so a source
 * or rule that went away leaves nothing behind. Thread-safe.
 */
final class EgressPaths {
    private final ConcurrentHashMap<String, EgressPath> paths = new ConcurrentHashMap<>();
    private final ProviderLimits limits;

    EgressPaths(ProviderLimits limits) {
        this.limits = limits;
    }

    /**
     * The path from {@code source} to {@code site}, made on first use; its targets are refreshed.
     * Targets under a domain's published TLS policy get that domain's own path (see
     * {@link RouteDecision.Targets#policyDomain()}).
     */
    EgressPath path(Source source, Site site, ProviderRule rule, List<RouteDecision.Target> targets) {
        String policyDomain = policyDomain(targets);
        EgressPath p = paths.computeIfAbsent(EgressPath.keyOf(source, site, policyDomain),
                k -> new EgressPath(k, source, site, limits.throttle(source, rule), targets));
        p.targets = targets;
        return p;
    }

    /* The first target's TLS policy domain, or null; a loop, not a stream: once per delivery placed (issue 14). */
    static String policyDomain(List<RouteDecision.Target> targets) {
        for (int i = 0; i < targets.size(); i++) {
            var tls = targets.get(i).tls();
            if (tls != null && tls.policyDomain() != null) {
                return tls.policyDomain();
            }
        }
        return null;
    }

    /** The path from the source named {@code source} to {@code site}, or null when none is in use. */
    EgressPath get(String source, Site site) {
        return paths.get(source + ">" + site.name());
    }

    /** Every path from the source named {@code source} to {@code site}, the per-policy-domain ones included. */
    List<EgressPath> all(String source, Site site) {
        String plain = source + ">" + site.name();
        return paths.values().stream().filter(p -> p.key.equals(plain) || p.key.startsWith(plain + "#")).toList();
    }

    Collection<EgressPath> all() {
        return paths.values();
    }

    /** Applies reloaded rules and sources to the limits in use. */
    void reload(EgressPlan plan, ShapingRules rules) {
        limits.reload(plan, rules);
    }

    /** Forgets {@code path} unless a connection still uses it. */
    void dropIfIdle(EgressPath path) {
        if (path.connections.get() == 0) {
            paths.remove(path.key, path);
        }
    }
}
