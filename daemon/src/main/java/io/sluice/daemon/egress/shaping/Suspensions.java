package io.sluice.daemon.egress.shaping;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is held back, and until when, by scope: {@code path:SOURCE>SITE},
 * {@code source:SOURCE>PROVIDER}, {@code tenant:T}, {@code campaign:C}, {@code domain:D}.
 * Suspended mail waits in its scheduled queue; nothing is bounced or suppressed for it.
 * Thread-safe.
 */
public final class Suspensions {
    /** One suspension: until when, by which rule ("admin" for an operator), and the reply that caused it. */
    public record Hold(Instant until, String rule, String reason) {
    }

    private final Map<String, Hold> holds = new ConcurrentHashMap<>();

    public static String path(String source, String site) {
        return "path:" + source + ">" + site;
    }

    public static String sourceProvider(String source, String provider) {
        return "source:" + source + ">" + provider;
    }

    public void suspend(String scope, Hold hold) {
        holds.merge(scope, hold, (old, fresh) -> fresh.until().isAfter(old.until()) ? fresh : old);
    }

    /** True when something was suspended. */
    public boolean resume(String scope) {
        return holds.remove(scope) != null;
    }

    public boolean isEmpty() {
        return holds.isEmpty();
    }

    /** True when a hold is in force on {@code scope} at {@code now}; cheap while nothing is held. */
    public boolean holds(String scope, Instant now) {
        return !holds.isEmpty() && holding(scope, now) != null;
    }

    /** The hold in force on {@code scope} at {@code now}, or null (an expired one is dropped). */
    public Hold holding(String scope, Instant now) {
        Hold h = holds.get(scope);
        if (h != null && !now.isBefore(h.until())) {
            holds.remove(scope, h);
            return null;
        }
        return h;
    }

    public Map<String, Hold> all(Instant now) {
        Map<String, Hold> out = new TreeMap<>();
        holds.forEach((k, h) -> {
            if (now.isBefore(h.until())) {
                out.put(k, h);
            }
        });
        return out;
    }
}
