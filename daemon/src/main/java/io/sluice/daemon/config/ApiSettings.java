package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * The HTTP injection API ({@code sluice.api.*}).
 *
 * @param maxRecipients       recipients per request; more is a 400
 * @param maxBody             {@code POST /api/v1/inject} bodies larger than this get 413 problem+json:
 *                            at once when Content-Length says so, else as soon as the count passes
 *                            it; nothing larger is ever held (was {@code max-request-bytes}, 64MB)
 * @param maxMessageBytes     one built (or raw) message larger than this gets 413
 * @param batchRecipients     recipients per spooled message when one message goes to many
 * @param idempotencyWindow   how long an {@code idempotency_key}'s answer is kept (across restarts)
 * @param requireTokens       demand a bearer token even on a loopback bind (always demanded
 *                            when {@code micronaut.server.host} is not a loopback address)
 */
@ConfigurationProperties("sluice.api")
public record ApiSettings(
        @Bindable(defaultValue = "100000") @Min(1) @Max(1_000_000) int maxRecipients,
        @Bindable(defaultValue = "8MB") @ReadableBytes @Min(1024) long maxBody,
        @Bindable(defaultValue = "25MB") @ReadableBytes @Min(1024) long maxMessageBytes,
        @Bindable(defaultValue = "1000") @Min(1) @Max(10_000) int batchRecipients,
        @Bindable(defaultValue = "24h") Duration idempotencyWindow,
        @Bindable(defaultValue = "false") boolean requireTokens) {
}
