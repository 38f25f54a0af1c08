package io.sluice.daemon.engagement;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.EngagementSettings;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.daemon.engagement.history.EngagementStore;
import io.sluice.daemon.engagement.history.TrackedDelivery;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.queue.FreeSpace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Opens the daemon's {@link EngagementStore} under the spool directory and feeds it the
 * {@code Delivery} events of tracked mail (the same test the rewriter makes: a sender, tracking
 * on for the tenant or campaign, a tracking host), so opens and clicks find their address.
 */
@Factory
final class EngagementWiring {

    @Context
    @Bean(preDestroy = "close") // writes what is queued at shutdown
    @Requires(notEnv = Environments.CHECK_CONFIG)
    EngagementStore engagementStore(SpoolSettingsConfig spool, EngagementSettings settings, Clock clock,
                                    EventLog events, TrackingSettings tracking, TrackingTokens tokens) {
        Path dir = Path.of(spool.dir());
        FreeSpace space;
        try {
            java.nio.file.Files.createDirectories(dir);
            space = FreeSpace.of(dir, spool.minFree());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the spool directory " + dir, e);
        }
        EngagementStore store = new EngagementStore(dir, settings, clock, space);
        if (tokens.enabled() && tracking.anyEnabled()) {
            events.subscribe(e -> {
                if (tracked(e, tracking)) {
                    store.delivered(new TrackedDelivery(e.id(), e.recipientIndex(), e.tenant(), e.campaign(),
                            e.recipient(), e.timestamp()));
                }
            });
        }
        return store;
    }

    static boolean tracked(Event e, TrackingSettings tracking) {
        return "Delivery".equals(e.type()) && e.id() != null && e.recipientIndex() != null && e.recipient() != null
                && e.sender() != null && !e.sender().isEmpty() && tracking.trackedFor(e.tenant(), e.campaign())
                && tracking.urlFor(e.tenant()) != null;
    }
}
