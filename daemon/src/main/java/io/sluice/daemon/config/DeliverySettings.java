package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * Outbound delivery ({@code sluice.delivery.*}).
 *
 * @param port                     TCP port of receiving MX hosts (25; tests point it at a sink)
 * @param ehloName                 name we give in EHLO; defaults to {@code sluice.smtp.hostname}
 * @param maxAge                   a delivery still failing after this long expires
 * @param retryInitial             first retry delay after a transient failure
 * @param retryMultiplier          each further delay grows by this factor ...
 * @param retryMax                 ... up to this
 * @param retryJitter              +/- this fraction of randomness, so retries do not stampede
 * @param destinationDownFor       after a connect/TLS failure or a 421 greeting, how long a
 *                                 destination is left alone
 * @param connectionsPerDestination concurrent connections to one destination
 * @param messagesPerConnection    transactions on one connection before it is renewed
 * @param connectTimeout           TCP connect timeout
 * @param commandTimeout           reply timeout for greeting and commands (RFC 5321 §4.5.3.2)
 * @param dataTimeout              reply timeout after the final dot
 * @param tls                      {@code opportunistic}, {@code required} or {@code none}
 * @param ioThreads                Netty event-loop threads for the client
 * @param allowPrivateMx           deliver to MX hosts on loopback or private addresses (tests);
 *                                 otherwise such MX records bounce with 550 5.4.6
 */
@ConfigurationProperties("sluice.delivery")
public record DeliverySettings(
        @Bindable(defaultValue = "25") @Min(1) @Max(65535) int port,
        @Nullable String ehloName,
        @Bindable(defaultValue = "3d") Duration maxAge,
        @Bindable(defaultValue = "1m") Duration retryInitial,
        @Bindable(defaultValue = "2.0") @DecimalMin("1.0") double retryMultiplier,
        @Bindable(defaultValue = "4h") Duration retryMax,
        @Bindable(defaultValue = "0.2") @DecimalMin("0.0") @DecimalMax("0.9") double retryJitter,
        @Bindable(defaultValue = "1m") Duration destinationDownFor,
        @Bindable(defaultValue = "8") @Min(1) int connectionsPerDestination,
        @Bindable(defaultValue = "1000") @Min(1) int messagesPerConnection,
        @Bindable(defaultValue = "30s") Duration connectTimeout,
        @Bindable(defaultValue = "5m") Duration commandTimeout,
        @Bindable(defaultValue = "10m") Duration dataTimeout,
        @Bindable(defaultValue = "opportunistic") String tls,
        @Bindable(defaultValue = "2") @Min(1) int ioThreads,
        @Bindable(defaultValue = "false") boolean allowPrivateMx) {
}
