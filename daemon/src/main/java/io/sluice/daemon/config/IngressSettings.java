package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * Checks every listener applies to recipients ({@code sluice.ingress.*}).
 *
 * @param checkDomains       refuse recipients whose domain has a null MX (RFC 7505) or does not
 *                           exist; skipped anyway when a smarthost takes all mail and no DNS
 *                           servers are configured (the smarthost decides then)
 * @param domainCacheTtl     how long a domain's verdict is remembered
 * @param domainCheckTimeout a lookup slower than this accepts the recipient (delivery retries)
 * @param pools              the pool names mail may ask for ({@code pool} in the HTTP API,
 *                           {@code X-Sluice-Pool} over SMTP); tokens and users narrow this
 */
@ConfigurationProperties("sluice.ingress")
public record IngressSettings(
        @Bindable(defaultValue = "true") boolean checkDomains,
        @Bindable(defaultValue = "5m") Duration domainCacheTtl,
        @Bindable(defaultValue = "3s") Duration domainCheckTimeout,
        @Bindable(defaultValue = "default") List<String> pools) {
}
