package io.sluice.daemon.operate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.config.RatesSettings;
import io.sluice.daemon.egress.EgressView;
import io.sluice.daemon.outcome.rates.RateKey;
import io.sluice.daemon.outcome.rates.Rates;
import io.sluice.daemon.outcome.rates.Signal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rates in Prometheus, with bounded cardinality: a counter {@code sluice_rates_signals_total}
 * by provider × tenant × signal only (no source, no campaign: those are on {@code /admin/rates}),
 * where the first {@code sluice.rates.metrics-tenants} tenants seen get their own series and the
 * rest are summed as tenant {@code other}; providers are bounded by the provider rules. Windows
 * are Prometheus's own ({@code increase(...[24h])}). Also the number of circuit-breaker holds in
 * force, and whether each provider has a feedback loop (so a dashboard can say "no feed").
 */
@Requires(notEnv = Environments.CHECK_CONFIG)
@Context
public final class RateMetrics {
    private final MeterRegistry registry;
    private final int maxTenants;
    private final Set<String> tenants = ConcurrentHashMap.newKeySet();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Set<String> providers = ConcurrentHashMap.newKeySet();
    private final EgressView egress;

    public RateMetrics(MeterRegistry registry, Rates rates, RatesSettings settings, EgressView egress) {
        this.registry = registry;
        this.maxTenants = settings.metricsTenants();
        this.egress = egress;
        Gauge.builder("sluice.breaker.holds", egress, e -> e.suspensions().stream()
                        .filter(h -> h.rule() != null && h.rule().startsWith("breaker:")).count())
                .description("holds the circuit breaker placed that are in force").register(registry);
        rates.listen((key, signal, at) -> count(key, signal));
    }

    private void count(RateKey key, Signal signal) {
        String tenant = key.tenant() == null ? "none" : key.tenant();
        if (!tenants.contains(tenant)) {
            if (tenants.size() < maxTenants) {
                tenants.add(tenant);
            } else {
                tenant = RateKey.OTHER;
            }
        }
        String provider = key.provider();
        if (providers.add(provider)) {
            Gauge.builder("sluice.rates.feedback.loop", egress, e -> e.hasFeedbackLoop(provider) ? 1 : 0)
                    .tag("provider", provider)
                    .description("1 when the provider sends complaint reports; 0: its complaint rate is unknown")
                    .register(registry);
        }
        String t = tenant;
        counters.computeIfAbsent(provider + "\u0000" + t + "\u0000" + signal.label(), k -> Counter.builder("sluice.rates.signals")
                .tags("provider", provider, "tenant", t, "signal", signal.label())
                .description("what became of deliveries and what receivers said, by provider and tenant")
                .register(registry)).increment();
    }
}
