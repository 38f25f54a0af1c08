package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * TLS-RPT, RFC 8460 ({@code sluice.tls-report.*}; docs/dane-tlsrpt.md). Empty names default to
 * ones made from {@code sluice.smtp.hostname}.
 *
 * @param enabled          count sessions and send the daily reports
 * @param organizationName the report's organization-name (default: the host name)
 * @param contactInfo      the report's contact-info (default: {@code postmaster@<hostname>})
 * @param from             the report mail's From and envelope sender (default:
 *                         {@code tlsrpt-noreply@<hostname>}); its domain picks the DKIM key
 * @param submitter        TLS-Report-Submitter (default: the host name)
 * @param delay            how long after 00:00 UTC the previous day is reported
 * @param giveUpAfter      how long after a day's end a report that cannot be sent is retried
 * @param timeout          HTTPS connect and request timeout
 * @param dir              where the counts are kept (default: {@code <spool dir>/tls-rpt})
 */
@ConfigurationProperties("sluice.tls-report")
public record TlsReportSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "") String organizationName,
        @Bindable(defaultValue = "") String contactInfo,
        @Bindable(defaultValue = "") String from,
        @Bindable(defaultValue = "") String submitter,
        @Bindable(defaultValue = "10m") Duration delay,
        @Bindable(defaultValue = "3d") Duration giveUpAfter,
        @Bindable(defaultValue = "30s") Duration timeout,
        @Bindable(defaultValue = "") String dir) {
}
