package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * DNS for MX lookups ({@code sluice.dns.*}).
 *
 * @param servers {@code host[:port]} entries; empty means the system resolver
 * @param timeout how long one lookup may take before the delivery is deferred
 */
@ConfigurationProperties("sluice.dns")
public record DnsSettings(
        @Bindable(defaultValue = "") List<String> servers,
        @Bindable(defaultValue = "5s") Duration timeout) {
}
