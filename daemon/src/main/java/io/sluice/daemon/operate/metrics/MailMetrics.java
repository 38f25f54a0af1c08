package io.sluice.daemon.operate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.sluice.daemon.cluster.ClusterHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import io.sluice.daemon.egress.EgressView;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolStatus;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Mail metrics for {@code /prometheus}, counted from the event log's stream (so the numbers are
 * exactly the events, and no counting sits on the delivery path) plus gauges read on scrape:
 * queue depths (the egress scheduler's published snapshot: a scrape never waits for it), connections, spool state. Names: {@code docs/events.md} § Metrics.
 */
@io.micronaut.context.annotation.Requires(notEnv = io.sluice.daemon.config.Environments.CHECK_CONFIG) // check-config opens nothing
@Context
public final class MailMetrics {
    private static final String NONE = "none";

    private final MeterRegistry registry;
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Timer endToEnd;

    public MailMetrics(MeterRegistry registry, EventLog events, Spool spool, EgressView egress, ClusterHealth cluster) {
        this.registry = registry;
        this.endToEnd = Timer.builder("sluice.delivery.latency")
                .description("reception to remote 2xx, per delivered recipient")
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.9, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofDays(3))
                .register(registry);
        spoolGauge("sluice.spool.live.messages", "messages not yet final", spool, SpoolStatus::liveMessages);
        spoolGauge("sluice.spool.live.deliveries", "deliveries not yet final", spool, SpoolStatus::liveDeliveries);
        spoolGauge("sluice.spool.free.bytes", "free disk under the spool", spool, SpoolStatus::freeBytes);
        spoolGauge("sluice.spool.disk.bytes", "apparent size of the spool files", spool, SpoolStatus::diskBytesUsed);
        spoolGauge("sluice.spool.quarantined.records", "spool records the last start could not read (kept under quarantine/)",
                spool, SpoolStatus::quarantinedRecords);
        Gauge.builder("sluice.spool.degraded", spool, s -> s.status().degraded() ? 1 : 0)
                .description("1 while free disk is below sluice.spool.min-free").register(registry);
        Gauge.builder("sluice.queue.scheduled", egress, e -> e.depth().waiting())
                .description("deliveries waiting in scheduled queues").register(registry);
        Gauge.builder("sluice.queue.timers", egress, e -> e.depth().timers())
                .description("deliveries waiting for a retry or send_at time").register(registry);
        Gauge.builder("sluice.queue.ready", egress, e -> e.depth().ready())
                .description("deliveries on ready queues").register(registry);
        Gauge.builder("sluice.connections.outbound", egress, e -> e.depth().connections())
                .description("open delivery connections").register(registry);
        if (!"single".equals(cluster.mode())) {
            // an alert on this is how an operator hears of an outage the node itself rides out
            Gauge.builder("sluice.cluster.redis.up", cluster, c -> c.redisUp() ? 1 : 0)
                    .description("1 while this cluster node reaches Redis; 0 while it runs on its outage share")
                    .register(registry);
        }
        // issue 18 item 10: the event log's own health, read on scrape (a counter fed by events could not count its own drops)
        FunctionCounter.builder("sluice.events.dropped", events, EventLog::dropped)
                .description("events dropped because the event queue was full (the writer could not keep up or write)")
                .register(registry);
        Gauge.builder("sluice.events.backlog", events, EventLog::backlog)
                .description("events waiting for the event log writer").register(registry);
        Gauge.builder("sluice.events.writer.failing", events, e -> e.failing() ? 1 : 0)
                .description("1 while the event log cannot be written (full disk, failed rotation); it retries")
                .register(registry);
        events.subscribe(this::count);
    }

    private void spoolGauge(String name, String description, Spool spool, ToDoubleFunction<SpoolStatus> value) {
        Gauge.builder(name, spool, s -> value.applyAsDouble(s.status())).description(description).register(registry);
    }

    private void count(Event e) {
        switch (e.type()) {
            case "Reception" -> counter("sluice.messages.received", "tenant", orNone(e.tenant())).increment();
            case "Delivery", "TransientFailure", "Bounce", "Expiration" -> {
                counter("sluice.deliveries", "outcome", outcome(e.type()), "provider", orNone(e.provider()),
                        "source", orNone(e.source()), "category", orNone(e.bounceCategory())).increment();
                if (e.tlsPolicy() != null) {
                    // issue 16: transport security by policy and result (verified, encrypted, unverified, none, failed)
                    counter("sluice.deliveries.tls", "policy", e.tlsPolicy(), "result", orNone(e.tls()),
                            "outcome", outcome(e.type())).increment();
                }
                if ("Delivery".equals(e.type()) && e.created() != null && e.timestamp() != null) {
                    endToEnd.record(Duration.between(e.created(), e.timestamp()));
                }
            }
            case "OOB", "Feedback", "Unsubscribe" -> counter("sluice.feedback", "type", e.type(),
                    "action", orNone(e.action()), "category", orNone(e.bounceCategory())).increment();
            // issue 20: opens and clicks, people and machines apart (the rule that flagged a machine is in the event)
            case "Open", "Click" -> counter("sluice.engagement", "type", e.type(), "traffic", orNone(e.action()),
                    "tenant", orNone(e.tenant())).increment();
            case "Suppression" -> counter("sluice.suppressions", "action", orNone(e.action()),
                    "reason", orNone(e.reason())).increment();
            case "SourceHealth" -> { } // a gauge per source and check: deliverability.doctor.SourceHealth
            // issue 16: DNSSEC validation broken at the anchor, DANE off meanwhile (at most one a minute)
            case "DaneValidationBroken" -> counter("sluice.dane.validation.broken").increment();
            default -> counter("sluice.shaping", "type", e.type(), "provider", orNone(e.provider())).increment();
        }
    }

    private static String outcome(String type) {
        return switch (type) {
            case "Delivery" -> "delivered";
            case "TransientFailure" -> "deferred";
            case "Bounce" -> "bounced";
            default -> "expired";
        };
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    private Counter counter(String name, String... tags) {
        // a key over the tag array rather than a joined string, looked up before computeIfAbsent's
        // capturing lambda: this runs for every event (issue 14)
        CounterKey key = new CounterKey(name, Arrays.asList(tags));
        Counter c = counters.get(key);
        return c != null ? c : counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }

    private record CounterKey(String name, List<String> tags) {
    }
}
