package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * Shipping the event log to an HTTP endpoint ({@code sluice.events.webhook.*}).
 *
 * @param url       where batches are POSTed; empty turns shipping off
 * @param secret    HMAC-SHA256 key for the {@code X-Sluice-Signature} header; empty sends none
 * @param batchSize events per POST at most
 * @param timeout   per request
 * @param retryMax  longest wait between retries while the endpoint fails
 */
@ConfigurationProperties("sluice.events.webhook")
public record WebhookSettings(
        @Bindable(defaultValue = "") String url,
        @Bindable(defaultValue = "") String secret,
        @Bindable(defaultValue = "100") @Min(1) @Max(10_000) int batchSize,
        @Bindable(defaultValue = "10s") Duration timeout,
        @Bindable(defaultValue = "5m") Duration retryMax) {

    public boolean enabled() {
        return url != null && !url.isBlank();
    }
}
