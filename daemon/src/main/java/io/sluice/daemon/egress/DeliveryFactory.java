package io.sluice.daemon.egress;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.sluice.daemon.config.DeliverySettings;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.daemon.egress.tls.TlsSetup;
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
    SmtpClient smtpClient(DeliverySettings settings, SmtpSettings smtp, TlsSetup tlsSetup) {
        String ehlo = settings.ehloName() == null || settings.ehloName().isBlank()
                ? smtp.hostname() : settings.ehloName();
        TlsMode tls = EgressWiring.tlsMode(settings);
        ClientSettings client = new ClientSettings(ehlo, settings.connectTimeout(), settings.commandTimeout(),
                settings.commandTimeout(), settings.dataTimeout(), tls);
        // MX certificates under a policy are judged against sluice.tls.trust-store (the JDK's by default)
        return new SmtpClient(client, settings.ioThreads(), tlsSetup.anchors().trust());
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
