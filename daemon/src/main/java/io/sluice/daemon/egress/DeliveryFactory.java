package io.sluice.daemon.egress;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.sluice.daemon.config.DeliverySettings;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.protocol.client.ClientSettings;
import io.sluice.protocol.client.SmtpClient;
import io.sluice.protocol.client.TlsMode;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Builds the delivery side's library objects from settings. */
@Factory
final class DeliveryFactory {

    @Singleton
    @Bean(preDestroy = "close")
    SmtpClient smtpClient(DeliverySettings settings, SmtpSettings smtp) {
        String ehlo = settings.ehloName() == null || settings.ehloName().isBlank()
                ? smtp.hostname() : settings.ehloName();
        TlsMode tls = EgressWiring.tlsMode(settings);
        ClientSettings client = new ClientSettings(ehlo, settings.connectTimeout(), settings.commandTimeout(),
                settings.commandTimeout(), settings.dataTimeout(), tls);
        return new SmtpClient(client, settings.ioThreads());
    }

    @Singleton
    RetryPolicy retryPolicy(DeliverySettings s) {
        return new RetryPolicy(s.retryInitial(), s.retryMultiplier(), s.retryMax(), s.retryJitter(), s.maxAge());
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
