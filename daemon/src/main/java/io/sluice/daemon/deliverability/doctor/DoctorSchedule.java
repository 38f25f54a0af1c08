package io.sluice.daemon.deliverability.doctor;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.DoctorSettings;
import io.sluice.daemon.config.Environments;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code sluice.doctor.interval} above zero, runs the doctor on its own thread every interval
 * (the first run a minute after start, or sooner for a shorter interval) and records the
 * per-source verdicts, so SourceHealth events and the gauge follow the sources without anyone
 * asking. Off by default: the checks query DNS and block lists, which an operator opts into.
 */
@Context
@Requires(notEnv = Environments.CHECK_CONFIG)
public final class DoctorSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(DoctorSchedule.class);
    private static final Duration FIRST_RUN_AT_MOST = Duration.ofMinutes(1);

    private final ScheduledExecutorService timer;

    public DoctorSchedule(DoctorSettings settings, DoctorService doctor, SourceHealth health) {
        Duration every = settings.interval();
        if (every.isZero()) {
            this.timer = null;
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-doctor");
            t.setDaemon(true);
            return t;
        });
        long first = Math.min(every.toMillis(), FIRST_RUN_AT_MOST.toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                SendingSetup setup = doctor.setup(Set.of());
                DoctorReport report = doctor.examine(setup);
                health.record(report, setup);
                LOG.info("doctor: {}", report.verdict().word());
            } catch (RuntimeException e) {
                LOG.warn("doctor run failed: {}", e.toString());
            }
        }, first, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
