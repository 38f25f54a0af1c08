package io.sluice.daemon.egress;

import io.sluice.protocol.smtp.SmtpReply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the scheduler knows about each domain's route ({@link DomainRoute}), kept for the DNS TTL
 * within [5 s, {@code route-ttl}]. A miss starts a lookup and answers "pending"; the answer is
 * stored on the scheduler thread through the {@link Mailbox}. Owned by the scheduler thread.
 */
final class RouteCache {
    private static final Duration MIN_ROUTE_TTL = Duration.ofSeconds(5);

    private final RouteLookup lookup;
    private final EgressConfig.InForce config;
    private final Clock clock;
    private final Duration routeTtl;
    private final Mailbox mailbox;
    private final Map<String, DomainRoute> routes = new HashMap<>();

    RouteCache(RouteLookup lookup, EgressConfig.InForce config, Clock clock, Duration routeTtl, Mailbox mailbox) {
        this.lookup = lookup;
        this.config = config;
        this.clock = clock;
        this.routeTtl = routeTtl;
        this.mailbox = mailbox;
    }

    /** The domain's route from the cache, or {@link DomainRoute#PENDING} while a lookup runs. */
    DomainRoute route(String domain, Instant now) {
        DomainRoute known = routes.get(domain);
        if (known != null && (known.pending() || now.isBefore(known.expires()))) {
            return known;
        }
        routes.put(domain, DomainRoute.PENDING);
        CompletableFuture<RouteDecision> answer;
        try {
            answer = lookup.route(lookup.destinationOf(domain));
        } catch (RuntimeException e) {
            // a lookup that throws instead of failing its future must not leave the domain pending for good
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((decision, error) -> {
            RouteDecision d = error != null || decision == null
                    ? new RouteDecision.Unavailable(SmtpReply.of(451, "4.3.0", "internal routing error: " + error))
                    : decision;
            mailbox.post(() -> {
                DomainRoute r;
                try {
                    r = resolved(domain, d);
                } catch (RuntimeException e) {
                    r = resolved(domain, new RouteDecision.Unavailable(
                            SmtpReply.of(451, "4.3.0", "internal routing error: " + e)));
                }
                routes.put(domain, r);
            });
        });
        return DomainRoute.PENDING;
    }

    /** What is known of the domain without looking it up, or null. */
    DomainRoute known(String domain) {
        return routes.get(domain);
    }

    /** Forgets the domain, so the next attempt asks again. */
    void forget(String domain) {
        routes.remove(domain);
    }

    void clear() {
        routes.clear();
    }

    /** Drops expired routes: idle domains cost nothing. */
    void prune(Instant now) {
        routes.values().removeIf(r -> !r.pending() && !now.isBefore(r.expires()));
    }

    private DomainRoute resolved(String domain, RouteDecision decision) {
        Instant expires = clock.instant().plus(routeTtl);
        if (decision instanceof RouteDecision.Targets t) {
            // the DNS TTL, within [MIN_ROUTE_TTL, route-ttl]: a TTL of 0 would mean a lookup per delivery
            long seconds = Math.max(MIN_ROUTE_TTL.toSeconds(), Math.min(t.ttlSeconds(), routeTtl.toSeconds()));
            expires = clock.instant().plusSeconds(seconds);
            return new DomainRoute(decision, t.site(), config.rules().match(domain, t.mxHosts()), expires);
        }
        return new DomainRoute(decision, null, config.rules().fallback(), expires);
    }
}
