package io.sluice.daemon.operate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.engagement.history.EngagementStore;

/**
 * How full the per-recipient engagement store is (issue 20), no labels: recipients with a last
 * human open or click kept, and tracked deliveries remembered, against their caps
 * ({@code sluice.engagement.max-recipients}, {@code max-deliveries}). The opens and clicks
 * themselves are {@code sluice_engagement_total} and {@code sluice_rates_signals_total}.
 */
@Requires(notEnv = Environments.CHECK_CONFIG)
@Context
public final class EngagementMetrics {

    public EngagementMetrics(MeterRegistry registry, EngagementStore store) {
        Gauge.builder("sluice.engagement.recipients", store, EngagementStore::recipients)
                .description("recipients whose last human open or click is kept").register(registry);
        Gauge.builder("sluice.engagement.deliveries", store, EngagementStore::deliveries)
                .description("tracked deliveries remembered, so opens and clicks find their address").register(registry);
    }
}
