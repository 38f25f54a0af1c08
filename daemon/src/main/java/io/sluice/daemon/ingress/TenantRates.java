package io.sluice.daemon.ingress;

import io.sluice.daemon.config.LimitSettings;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages per minute per tenant ({@code sluice.limits.messages-per-minute-per-tenant}), shared
 * by every listener: a tenant's SMTP and HTTP mail draw from one bucket.
 */
@Singleton
public final class TenantRates {
    public static final String DEFAULT_TENANT = "default";

    private final int perMinute;
    private final Clock clock;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public TenantRates(LimitSettings settings, Clock clock) {
        this.perMinute = settings.messagesPerMinutePerTenant();
        this.clock = clock;
    }

    /** Takes {@code messages} from the tenant's budget; false (and nothing taken) when it is spent. */
    public boolean tryAcquire(String tenant, int messages) {
        if (perMinute == 0) {
            return true;
        }
        String key = tenant == null ? DEFAULT_TENANT : tenant;
        return buckets.computeIfAbsent(key, t -> new TokenBucket(perMinute, clock)).tryTake(messages);
    }

    public int perMinute() {
        return perMinute;
    }
}
