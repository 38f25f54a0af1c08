package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * Outbound transport security ({@code sluice.tls.*}; docs/transport-security.md).
 *
 * @param trustStore            a PEM file of CA certificates that replaces the JDK's trust store
 *                              for MX certificates under a policy and for MTA-STS policy hosts;
 *                              blank for the JDK's
 * @param mtaSts                whether MTA-STS policies are looked up and applied
 * @param mtaStsFetchTimeout    the whole HTTPS fetch of one policy
 * @param mtaStsRetryFetchAfter a failed fetch is not tried again for the same TXT id before this
 * @param mtaStsPolicyHosts     {@code policy-host=host:port} entries: where to fetch a policy host's
 *                              policy instead of its address on port 443, the certificate still
 *                              checked against the policy host's name (tests, split-horizon setups)
 */
@ConfigurationProperties("sluice.tls")
public record TlsSettings(
        @Bindable(defaultValue = "") String trustStore,
        @Bindable(defaultValue = "true") boolean mtaSts,
        @Bindable(defaultValue = "30s") Duration mtaStsFetchTimeout,
        @Bindable(defaultValue = "5m") Duration mtaStsRetryFetchAfter,
        @Bindable(defaultValue = "") List<String> mtaStsPolicyHosts) {
}
