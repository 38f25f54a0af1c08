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

    /** The path from {@code source} to {@code site}, made on first use; its targets are refreshed. */
    EgressPath path(Source source, Site site, ProviderRule rule, List<RouteDecision.Target> targets) {
        EgressPath p = paths.computeIfAbsent(source.name() + ">" + site.name(),
                k -> new EgressPath(source, site, limits.throttle(source, rule), targets));
        p.targets = targets;
        return p;
    }

    /** The path from the source named {@code source} to {@code site}, or null when none is in use. */
    EgressPath get(String source, Site site) {
        return paths.get(source + ">" + site.name());
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
