package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * Deliverability rates ({@code sluice.rates.*}).
 *
 * @param maxKeys         keys (provider × source × tenant × campaign) counted per table, about
 *                        3.7 KB each; past it, idle keys are dropped, then new keys count under
 *                        their provider's {@code other} key
 * @param attributionSize recent deliveries remembered (message id and recipient → key), so a
 *                        complaint or unsubscribe that arrives later is counted against the
 *                        provider, source and campaign that delivered it; older ones count
 *                        under provider {@code other}
 * @param metricsTenants  tenants with their own Prometheus series per provider; the rest are
 *                        summed as tenant {@code other}
 */
@ConfigurationProperties("sluice.rates")
public record RatesSettings(
        @Bindable(defaultValue = "10000") @Min(16) int maxKeys,
        @Bindable(defaultValue = "100000") @Min(0) int attributionSize,
        @Bindable(defaultValue = "50") @Min(0) int metricsTenants) {

    public static RatesSettings defaults() {
        return new RatesSettings(10_000, 100_000, 50);
    }
}
