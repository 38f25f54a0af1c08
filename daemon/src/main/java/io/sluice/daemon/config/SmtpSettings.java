package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The SMTP listener that applications relay into ({@code sluice.smtp.*}).
 *
 * @param bind               address to listen on
 * @param port               TCP port (0 picks a free one, for tests)
 * @param hostname           the name in the greeting and in our Received header
 * @param maxMessageBytes    DATA is refused with 552 5.3.4 past this many bytes
 * @param maxRecipients      RCPT beyond this many gets 452 4.5.3
 * @param maxConnections     concurrent sessions; beyond, new ones get 421
 * @param connectionTimeout  idle time before the session is closed with 421
 */
@ConfigurationProperties("sluice.smtp")
public record SmtpSettings(
        @Bindable(defaultValue = "127.0.0.1") @NotBlank String bind,
        @Bindable(defaultValue = "2525") @Min(0) @Max(65535) int port,
        @Bindable(defaultValue = "localhost") @NotBlank String hostname,
        @Bindable(defaultValue = "50MB") @ReadableBytes @Min(1024) @Max(200L * 1024 * 1024) long maxMessageBytes,
        @Bindable(defaultValue = "1000") @Min(1) int maxRecipients,
        @Bindable(defaultValue = "1000") @Min(1) int maxConnections,
        @Bindable(defaultValue = "5m") Duration connectionTimeout) {
}
