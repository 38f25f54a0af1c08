package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Destination;

import java.util.concurrent.CompletableFuture;

/**
 * Where a domain's mail goes, as the engine asks it: {@link Router} in production (smarthost or
 * MX through DNS), a table in unit tests.
 */
interface RouteLookup {

    /** Deliveries with the same key share connections and the destination's up/down state. */
    Destination destinationOf(String domain);

    /** The destination's targets, or why there are none; never completes exceptionally on purpose. */
    CompletableFuture<RouteDecision> route(Destination destination);
}
