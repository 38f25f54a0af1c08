package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * What the SMTP listener allows mail to the feedback loop's own addresses
 * ({@code sluice.feedback.*}). Those addresses take mail from anyone on the internet, so what
 * one stranger can make the daemon hold and parse is bounded here, apart from the relay limits.
 *
 * @param maxMessageBytes       feedback DATA is refused with {@code 552 5.3.4} past this many
 *                              bytes (a DSN or ARF report is a few KB; the original it quotes
 *                              is what makes it large)
 * @param messagesPerMinutePerIp feedback transactions per client (IPv4 address or IPv6 /64) per
 *                              minute; beyond, {@code 450 4.7.1} at RCPT; 0: unlimited
 */
@ConfigurationProperties("sluice.feedback")
public record FeedbackListenerSettings(
        @Bindable(defaultValue = "2MB") @ReadableBytes @Min(1024) @Max(200L * 1024 * 1024) long maxMessageBytes,
        @Bindable(defaultValue = "60") @Min(0) int messagesPerMinutePerIp) {
}
