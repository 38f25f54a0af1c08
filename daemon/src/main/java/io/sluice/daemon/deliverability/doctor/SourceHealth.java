package io.sluice.daemon.deliverability.doctor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Turns the doctor's per-source findings (fcrdns, source-address, dnsbl) into SourceHealth events
 * when a verdict changes, and a gauge {@code sluice.source.unhealthy{source,check}}: 1 while the
 * verdict is fail, 0 otherwise. Cardinality is bounded by sources × checks (the block-list zones
 * are configured). Thread-safe: reports may come from the admin endpoint and the schedule at once.
 */
@Singleton
@Requires(notEnv = Environments.CHECK_CONFIG) // check-config opens nothing
public final class SourceHealth implements SourceVerdicts {
    private static final List<String> PER_SOURCE = List.of("fcrdns", "source-address", "dnsbl");

    private final EventLog events;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, SourceVerdict> latest = new ConcurrentHashMap<>();
    private final List<Consumer<SourceVerdict>> listeners = new CopyOnWriteArrayList<>();

    public SourceHealth(EventLog events, MeterRegistry registry) {
        this(events, registry, Clock.systemUTC());
    }

    SourceHealth(EventLog events, MeterRegistry registry, Clock clock) {
        this.events = events;
        this.registry = registry;
        this.clock = clock;
    }

    /** Records a report's per-source verdicts; publishes an event for each one that changed. */
    public synchronized void record(DoctorReport report, SendingSetup setup) {
        for (Finding f : report.findings()) {
            if (f.source() == null || !PER_SOURCE.contains(f.check())) {
                continue;
            }
            String address = addressOf(setup, f.source());
            String check = f.check().equals("dnsbl") ? "dnsbl:" + zoneOf(f.subject()) : f.check();
            SourceVerdict now = new SourceVerdict(f.source(), address, check, f.verdict(), f.detail());
            String key = f.source() + "\u0000" + check;
            SourceVerdict before = latest.put(key, now);
            if (before == null) {
                Gauge.builder("sluice.source.unhealthy", latest, m -> {
                            SourceVerdict v = m.get(key);
                            return v != null && v.unhealthy() ? 1 : 0;
                        })
                        .description("1 while the doctor's last verdict on this source and check is fail")
                        .tags("source", f.source(), "check", check).register(registry);
            }
            if (before == null || before.verdict() != now.verdict()) {
                events.publish(Event.sourceHealth(clock.instant(), now.source(), address, check, now.verdict().word(),
                        now.detail()));
                listeners.forEach(l -> l.accept(now));
            }
        }
    }

    @Override
    public List<SourceVerdict> current() {
        return new ArrayList<>(latest.values());
    }

    @Override
    public void onChange(Consumer<SourceVerdict> listener) {
        listeners.add(listener);
    }

    private static String addressOf(SendingSetup setup, String source) {
        for (SendingSetup.SourceAddress s : setup.sources()) {
            if (s.name().equals(source) && s.address() != null) {
                return s.address().getHostAddress();
            }
        }
        return null;
    }

    /* A dnsbl finding's subject is "NAME ADDRESS ZONE". */
    private static String zoneOf(String subject) {
        return subject.substring(subject.lastIndexOf(' ') + 1);
    }
}
