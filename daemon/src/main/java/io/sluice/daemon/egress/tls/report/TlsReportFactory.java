package io.sluice.daemon.egress.tls.report;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.cluster.ClusterSettings;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DnsSettings;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.daemon.config.TlsReportSettings;
import io.sluice.daemon.egress.tls.TlsReporter;
import io.sluice.protocol.dns.MxResolver;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Builds TLS-RPT from {@code sluice.tls-report.*}: the ledger under the spool directory, the
 * report builder (node id from the cluster settings, so report ids differ per node), the rua
 * lookup over {@code sluice.dns.servers}, both transports, and starts the daily schedule.
 */
@Factory
final class TlsReportFactory {

    @Context
    @Requires(notEnv = Environments.CHECK_CONFIG) // check-config opens nothing
    @Bean(preDestroy = "close")
    TlsReports tlsReports(TlsReportSettings settings, SmtpSettings smtp, SpoolSettingsConfig spool, DnsSettings dns,
            ClusterSettings cluster, ReportInjection injection, Clock clock) {
        String host = smtp.hostname();
        String from = orDefault(settings.from(), "tlsrpt-noreply@" + host);
        if (from.indexOf('@') <= 0) {
            throw new ConfigException("sluice.tls-report.from", from, "must be an address local@domain");
        }
        Path dir = Path.of(orDefault(settings.dir(), Path.of(spool.dir()).resolve("tls-rpt").toString()));
        TlsReportLedger ledger;
        try {
            ledger = TlsReportLedger.open(dir, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the TLS-RPT ledger in " + dir, e);
        }
        TlsReportBuilder builder = new TlsReportBuilder(orDefault(settings.organizationName(), host),
                orDefault(settings.contactInfo(), "postmaster@" + host), orDefault(settings.submitter(), host),
                cluster.nodeId());
        SSLContext tls;
        try {
            tls = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
        TlsReportSchedule schedule = new TlsReportSchedule(ledger, builder,
                new RuaLookup(MxResolver.parseServers(String.join(",", dns.servers())), dns.timeout()),
                List.of(new MailReportTransport(from, injection, clock), new HttpsReportTransport(tls, settings.timeout())),
                clock, settings.delay(), settings.giveUpAfter());
        TlsReports reports = new TlsReports(ledger, schedule, settings.enabled());
        reports.start();
        return reports;
    }

    /** Replaces the resolver's default reporter (counts nothing); absent under check-config, like the ledger. */
    @Singleton
    @Requires(notEnv = Environments.CHECK_CONFIG)
    TlsReporter tlsReporter(TlsReports reports) {
        return new LedgerReporter(reports);
    }

    private static String orDefault(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value.strip();
    }
}
