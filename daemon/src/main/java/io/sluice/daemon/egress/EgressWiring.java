package io.sluice.daemon.egress;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.sluice.daemon.cluster.Shared;
import io.sluice.daemon.config.DeliverySettings;
import io.sluice.daemon.config.EgressSettings;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.shaping.Rate;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.egress.tls.TlsReporter;
import io.sluice.daemon.egress.warmup.WarmupBudgets;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.outcome.tokens.DeliveryHeaders;
import io.sluice.protocol.client.SmtpClient;
import io.sluice.protocol.client.TlsMode;
import io.sluice.daemon.config.ConfigException;
import io.sluice.queue.Spool;
import io.sluice.daemon.egress.window.WindowPolicy;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Puts the egress engine together for the daemon: reads the egress and rules files (a bad file
 * stops the start with a ConfigException naming the key), builds the {@link Dispatcher} over the
 * Netty SMTP client, the router, the spool and the event log, and starts it.
 */
@Factory
final class EgressWiring {

    @Singleton
    @Bean(preDestroy = "close")
    Dispatcher dispatcher(Router router, SmtpClient client, Spool spool, DeliveryOutcomes outcomes, Clock clock,
                          DeliverySettings settings, MessageSigner dkim, EgressSettings egress, EventLog events,
                          SpoolSettingsConfig spoolSettings, DeliveryHeaders perDelivery, Shared shared,
                          WindowPolicy windows, io.sluice.daemon.engagement.TrackingRewriter tracking,
                          TlsReporter tlsReporter) {
        ProviderRule base = new ProviderRule("default", List.of(), List.of(), settings.connectionsPerDestination(),
                1000, settings.messagesPerConnection(), Rate.UNLIMITED, Rate.UNLIMITED,
                tlsMode(settings));
        EgressFiles files = new EgressFiles(EgressFiles.path(egress.file()), EgressFiles.path(egress.rulesFile()), base);
        EgressConfig config = files.read();
        WarmupBudgets warmup = new WarmupBudgets(config.plan(), clock,
                Path.of(spoolSettings.dir()).resolve("warmup-progress.txt"), shared.warmup());
        Dispatcher dispatcher = new Dispatcher(new Dispatcher.Wiring(router, new NettyTransport(client), outcomes,
                new SendAssembly(spool::read, perDelivery, dkim, clock, tracking), events::publish, clock, files, config,
                warmup, shared, settings.destinationDownFor(), egress,
                Executors.newFixedThreadPool(dispatchThreads(Runtime.getRuntime().availableProcessors()),
                        daemonThreads("sluice-dispatch")),
                Executors.newSingleThreadScheduledExecutor(daemonThreads("sluice-pacing")), windows, tlsReporter));
        dispatcher.start();
        return dispatcher;
    }

    /*
     * The dispatch workers run the session steps and, in them, the DKIM signatures: an RSA
     * signature is about a millisecond of CPU and nothing else, so one worker per core lets
     * signing use every core, and more would only take turns on them. At least two, so a step
     * that waits on the spool never holds up every session. Signing in the session step itself,
     * rather than handing it to a pool of its own, costs no extra thread wake-up per message; the
     * work it is given is bounded (see Placement.readyRoom), so the pool's queue stays short.
     */
    static int dispatchThreads(int cores) {
        return Math.max(2, cores);
    }

    static TlsMode tlsMode(DeliverySettings settings) {
        try {
            return TlsMode.valueOf(settings.tls().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sluice.delivery.tls", settings.tls(), "must be one of opportunistic, required, none");
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
