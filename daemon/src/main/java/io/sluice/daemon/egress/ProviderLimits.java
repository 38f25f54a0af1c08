package io.sluice.daemon.egress;

import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.daemon.egress.sources.Source;
import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.shaping.ProviderThrottle;
import io.sluice.daemon.egress.shaping.ProviderTotal;
import io.sluice.daemon.egress.shaping.ShapingRules;
import io.sluice.daemon.egress.shaping.SharedLimits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The live limits of every source towards every provider ({@link ProviderThrottle}, one per
 * source and provider) and of every provider in total ({@link ProviderTotal}),
 * each with its share of the cluster's limits. Made on first use, kept across reloads (what is
 * owed under a rate survives a new rule). Thread-safe.
 */
final class ProviderLimits {
    private final SharedLimits shared;
    /** Whose limits: one source towards one provider. */
    private record Key(String source, String provider) {
    }

    private final ConcurrentHashMap<Key, ProviderThrottle> throttles = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ProviderTotal> totals = new ConcurrentHashMap<>();

    ProviderLimits(SharedLimits shared) {
        this.shared = shared;
    }

    /** The limits of {@code source} towards the provider of {@code rule}. */
    ProviderThrottle throttle(Source source, ProviderRule rule) {
        return throttles.computeIfAbsent(new Key(source.name(), rule.name()),
                k -> new ProviderThrottle(effective(source, rule), sourceShare(source, rule), total(rule)));
    }

    /** Applies reloaded rules and sources to the limits already in use. */
    void reload(EgressPlan plan, ShapingRules rules) {
        throttles.forEach((k, t) -> {
            Source s = plan.sources().get(k.source());
            ProviderRule fresh = rules.byName(t.rule().name());
            t.update(s == null ? fresh : effective(s, fresh));
        });
        totals.forEach((name, t) -> t.update(rules.byName(name)));
    }

    /*
     * A source's limits are shared with other nodes by its address (the reputation a provider sees),
     * not its name, which each node chooses. A source without an address sends from whatever the
     * host routes by: no other node can be sure to share it, so nothing is shared.
     */
    private SharedLimits.Share sourceShare(Source source, ProviderRule rule) {
        return source.address() == null ? SharedLimits.Share.UNSHARED
                : shared.share(source.address().getHostAddress() + ">" + rule.name());
    }

    /* The provider's totals: one for all sources towards it. */
    private ProviderTotal total(ProviderRule rule) {
        return totals.computeIfAbsent(rule.name(), name -> new ProviderTotal(rule, shared.share(ProviderTotal.key(name))));
    }

    /* The provider rule with the source's own limits for that provider, if it has any. */
    private static ProviderRule effective(Source source, ProviderRule rule) {
        var limits = source.limits().get(rule.name());
        return limits == null ? rule : ShapingRules.overridden(rule, limits);
    }
}
