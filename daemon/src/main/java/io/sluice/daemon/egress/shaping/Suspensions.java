package io.sluice.daemon.egress.shaping;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is held back, and until when, by {@link HoldScope} (domain, tenant, campaign, path,
 * source towards a provider).
 * Suspended mail waits in its scheduled queue; nothing is bounced or suppressed for it.
 * Thread-safe.
 */
public final class Suspensions {
    /** One suspension: until when, by which rule ("admin" for an operator), and the reply that caused it. */
    public record Hold(Instant until, String rule, String reason) {
    }

    private final Map<HoldScope, Hold> holds = new ConcurrentHashMap<>();

    public void suspend(HoldScope scope, Hold hold) {
        holds.merge(scope, hold, (old, fresh) -> fresh.until().isAfter(old.until()) ? fresh : old);
    }

    /** True when something was suspended. */
    public boolean resume(HoldScope scope) {
        return holds.remove(scope) != null;
    }

    public boolean isEmpty() {
        return holds.isEmpty();
    }

    /** True when a hold is in force on {@code scope} at {@code now}; cheap while nothing is held. */
    public boolean holds(HoldScope scope, Instant now) {
        return !holds.isEmpty() && holding(scope, now) != null;
    }

    /** The hold in force on {@code scope} at {@code now}, or null (an expired one is dropped). */
    public Hold holding(HoldScope scope, Instant now) {
        Hold h = holds.get(scope);
        if (h != null && !now.isBefore(h.until())) {
            holds.remove(scope, h);
            return null;
        }
        return h;
    }

    /** The holds in force, ordered by their text form. */
    public Map<HoldScope, Hold> all(Instant now) {
        Map<HoldScope, Hold> out = new TreeMap<>(Comparator.comparing(HoldScope::toString));
        holds.forEach((k, h) -> {
            if (now.isBefore(h.until())) {
                out.put(k, h);
            }
        });
        return out;
    }
}
