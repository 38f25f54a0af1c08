package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * Limits both SMTP listeners and the HTTP API share ({@code sluice.limits.*}). Recipients per
 * message and connections in total are per listener ({@code sluice.smtp.*},
 * {@code sluice.submission.*}).
 *
 * @param maxConnectionsPerIp         concurrent sessions from one client address, per listener;
 *                                    beyond, {@code 421 4.7.0} at connect
 * @param messagesPerMinutePerTenant  0: unlimited; beyond, {@code 451 4.7.0} at MAIL and HTTP 429
 * @param authFailuresPerMinute       failed AUTH attempts from one address per minute before
 *                                    {@code 421 4.7.0} (and refused connections until a minute passes)
 */
@ConfigurationProperties("sluice.limits")
public record LimitSettings(
        @Bindable(defaultValue = "100") @Min(1) int maxConnectionsPerIp,
        @Bindable(defaultValue = "0") @Min(0) int messagesPerMinutePerTenant,
        @Bindable(defaultValue = "10") @Min(1) int authFailuresPerMinute) {
}
