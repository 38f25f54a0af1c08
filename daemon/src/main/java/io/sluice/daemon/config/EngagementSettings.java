package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * Per-recipient engagement kept for the sender ({@code sluice.engagement.*}, issue 20 item 3).
 *
 * @param retention     how long a recipient's last human open or click, and a tracked delivery's
 *                      address, are kept; older ones are dropped (a privacy limit, not a cache)
 * @param maxRecipients recipients with engagement kept (about 150 bytes each); past it the ones
 *                      engaged longest ago are dropped first
 * @param maxDeliveries tracked deliveries remembered (message id and recipient index → address,
 *                      about 200 bytes each), so an open can be tied to its address; an open of
 *                      an older delivery is still an event, without the address
 */
@ConfigurationProperties("sluice.engagement")
public record EngagementSettings(
        @Bindable(defaultValue = "400d") Duration retention,
        @Bindable(defaultValue = "500000") @Min(1) int maxRecipients,
        @Bindable(defaultValue = "250000") @Min(1) int maxDeliveries) {

    public EngagementSettings {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new ConfigException("sluice.engagement.retention", String.valueOf(retention),
                    "must be a positive duration such as 400d");
        }
    }

    public static EngagementSettings defaults() {
        return new EngagementSettings(Duration.ofDays(400), 500_000, 250_000);
    }
}
