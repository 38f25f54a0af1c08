package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The authenticated submission listener ({@code sluice.submission.*}, RFC 6409): STARTTLS, then
 * AUTH PLAIN/LOGIN, then relay. Users are {@code sluice.submission.users.<name>.*}
 * ({@link SubmissionUser}).
 *
 * @param enabled         whether the listener runs at all
 * @param tlsCert         PEM certificate chain; empty: a self-signed one is made at start (dev)
 * @param tlsKey          PEM private key (PKCS#1 or PKCS#8) for {@code tlsCert}
 */
@ConfigurationProperties("sluice.submission")
public record SubmissionSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "127.0.0.1") @NotBlank String bind,
        @Bindable(defaultValue = "2587") @Min(0) @Max(65535) int port,
        @Bindable(defaultValue = "") String tlsCert,
        @Bindable(defaultValue = "") String tlsKey,
        @Bindable(defaultValue = "50MB") @ReadableBytes @Min(1024) @Max(200L * 1024 * 1024) long maxMessageBytes,
        @Bindable(defaultValue = "1000") @Min(1) int maxRecipients,
        @Bindable(defaultValue = "1000") @Min(1) int maxConnections,
        @Bindable(defaultValue = "5m") Duration connectionTimeout) {
}
