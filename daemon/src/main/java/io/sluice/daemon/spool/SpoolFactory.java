package io.sluice.daemon.spool;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.queue.Durability;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolException;
import io.sluice.queue.SpoolProbe;
import io.sluice.queue.SpoolSettings;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.Locale;

/** Opens the spool (running its recovery) from {@code sluice.spool.*}. */
@Factory
final class SpoolFactory {

    @Singleton
    @Bean(preDestroy = "close")
    Spool spool(SpoolSettingsConfig config, SmtpSettings smtp) throws SpoolException {
        Durability durability;
        try {
            durability = Durability.valueOf(config.durability().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sluice.spool.durability", config.durability(), "must be mmap or fsync");
        }
        SpoolSettings settings;
        try {
            settings = new SpoolSettings(Path.of(config.dir()).toAbsolutePath(), durability,
                    (int) smtp.maxMessageBytes() + 64 * 1024, config.minFree(), config.rollCycle(), SpoolProbe.NONE)
                    .withReclaimInterval(config.reclaimInterval())
                    .withMaxLiveDeliveries(config.liveDeliveriesLimit(Runtime.getRuntime().maxMemory()));
        } catch (IllegalArgumentException e) {
            boolean cycle = e.getMessage() != null && e.getMessage().contains("roll");
            throw new ConfigException(cycle ? "sluice.spool.roll-cycle" : "sluice.spool",
                    cycle ? config.rollCycle() : config.toString(), e.getMessage());
        }
        return Spool.open(settings);
    }
}
