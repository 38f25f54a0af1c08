package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * DANE lookups ({@code sluice.dane.*}; docs/dane-tlsrpt.md).
 *
 * @param validation   {@code local}: validate DNSSEC here (dnsjava's ValidatingResolver) over
 *                     {@code sluice.dns.servers}; {@code resolver-ad}: trust the AD bit of the
 *                     validating resolver at {@code resolver}, which must be on loopback;
 *                     {@code off}: no DANE
 * @param trustAnchors a file of DS or DNSKEY records in zone-file form; empty: the bundled root
 *                     anchors (KSK-2017 and KSK-2024)
 * @param resolver     {@code host:port} of the validating resolver for {@code resolver-ad}
 * @param timeout      how long one DNS query may take
 */
@ConfigurationProperties("sluice.dane")
public record DaneSettings(
        @Bindable(defaultValue = "local")
        @Pattern(regexp = "(?i)local|resolver-ad|off", message = "must be local, resolver-ad or off") String validation,
        @Bindable(defaultValue = "") String trustAnchors,
        @Bindable(defaultValue = "") String resolver,
        @Bindable(defaultValue = "5s") Duration timeout) {
}
