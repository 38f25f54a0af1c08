package io.sluice.daemon.egress.shaping;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Adaptive backoff: when a remote reply matches {@code pattern} (a regex searched in
 * "code enhanced-code text", e.g. {@code "421 4.7.0 [TSS04] Messages from ... temporarily deferred"})
 * {@code count} times within {@code period} (count 1: at once), {@code action} applies for
 * {@code duration}.
 *
 * @param provider   only replies from this provider's sites count; null for any
 * @param factor     for {@link Action#THROTTLE}: the message rate is multiplied by this
 */
public record ReplyRule(String name, String provider, Pattern pattern, Action action, Duration duration,
                        int count, Duration period, double factor) {

    /** What a matching reply does. */
    public enum Action {
        /** Stop using this egress path (source x site). */
        SUSPEND_PATH,
        /** Stop sending from this source to the provider, on every site. */
        SUSPEND_SOURCE,
        /** Hold the tenant's mail. */
        SUSPEND_TENANT,
        /** Lower the source's message rate to the provider (and connections to one). */
        THROTTLE,
        /** Treat the reply as permanent for this delivery. */
        BOUNCE
    }

    public boolean appliesTo(String providerName) {
        return provider == null || provider.equals(providerName);
    }
}
