package io.sluice.daemon.ingress;

import io.sluice.daemon.config.IngressSettings;
import io.sluice.daemon.egress.EgressView;
import jakarta.inject.Singleton;

import java.util.HashSet;
import java.util.Set;

/**
 * The pool names mail may ask for: those of the egress engine's plan ({@code sluice.egress.file},
 * current after a reload) and any listed in {@code sluice.ingress.pools}. Tokens and submission
 * users narrow this further.
 */
@Singleton
public final class KnownPools {
    private final Set<String> configured;
    private final EgressView egress;

    public KnownPools(IngressSettings ingress, EgressView egress) {
        this.configured = Set.copyOf(ingress.pools());
        this.egress = egress;
    }

    public boolean contains(String pool) {
        return configured.contains(pool) || egress.poolNames().contains(pool);
    }

    public Set<String> all() {
        Set<String> all = new HashSet<>(configured);
        all.addAll(egress.poolNames());
        return Set.copyOf(all);
    }
}
