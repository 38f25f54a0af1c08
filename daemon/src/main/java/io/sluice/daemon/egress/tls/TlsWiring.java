package io.sluice.daemon.egress.tls;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DnsSettings;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.daemon.egress.tls.sts.DnsTxtLookup;
import io.sluice.daemon.egress.tls.sts.StsPolicies;
import io.sluice.daemon.egress.tls.sts.StsPolicyCache;
import io.sluice.daemon.egress.tls.sts.StsPolicyFetcher;
import io.sluice.protocol.dns.MxResolver;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds the policy resolver for the daemon. The two seams are beans marked {@link Secondary}:
 * the DANE and TLS-RPT packages replace them by declaring a {@link DaneSource} or a
 * {@link TlsReporter} bean of their own, with no change here.
 */
@Factory
final class TlsWiring {
    /** A domain's MTA-STS decision is reused this long before its TXT record is asked again. */
    static final java.time.Duration RECHECK_AFTER = java.time.Duration.ofMinutes(1);

    @Singleton
    @Secondary
    DaneSource noDane() {
        return DaneSource.ABSENT;
    }

    @Singleton
    @Secondary
    TlsReporter noReports() {
        return TlsReporter.NONE;
    }

    @Singleton
    TlsPolicyResolver tlsPolicyResolver(DaneSource dane, TlsReporter reporter, TlsSetup setup, DnsSettings dns,
                                        SpoolSettingsConfig spool, Clock clock) {
        if (!setup.mtaSts()) {
            return new TlsPolicyResolver(dane, null);
        }
        java.util.List<java.net.InetSocketAddress> servers;
        try {
            servers = MxResolver.parseServers(String.join(",", dns.servers()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sluice.dns.servers", String.join(",", dns.servers()), e.getMessage());
        }
        ExecutorService lookups = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-mta-sts");
            t.setDaemon(true);
            return t;
        });
        StsPolicies sts = new StsPolicies(new DnsTxtLookup(servers, dns.timeout()),
                new StsPolicyFetcher(setup.anchors().clientContext(), setup.fetchTimeout(), setup.policyHosts()),
                new StsPolicyCache(policyDirectory(spool)), TlsResult.fetchFailuresTo(reporter), clock, lookups,
                setup.retryFetchAfter(), RECHECK_AFTER);
        return new TlsPolicyResolver(dane, sts);
    }

    /** Where MTA-STS policies are kept: {@code mta-sts/} under the spool directory. */
    static Path policyDirectory(SpoolSettingsConfig spool) {
        return Path.of(spool.dir()).resolve("mta-sts");
    }
}
