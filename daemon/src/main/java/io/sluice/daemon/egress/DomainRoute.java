package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Site;

import io.sluice.daemon.egress.shaping.ProviderRule;

import java.time.Instant;

/**
 * What the scheduler knows about a domain: where its mail goes (a {@link RouteDecision}), the
 * site it rolls up to and the provider rule in force, until {@code expires}. A lookup in flight
 * has a null decision.
 */
record DomainRoute(RouteDecision decision, Site site, ProviderRule rule, Instant expires) {
    static final DomainRoute PENDING = new DomainRoute(null, null, null, Instant.MAX);

    boolean pending() {
        return decision == null;
    }
}
