package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The reputation circuit breaker ({@code sluice.breaker.*}).
 *
 * @param enabled   false: rates are still counted and shown, but no rule warns or pauses
 * @param rulesFile YAML breaker rules over the shipped ones (a shipped rule's name replaces only
 *                  the keys given); none: the shipped thresholds
 */
@ConfigurationProperties("sluice.breaker")
public record BreakerSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable String rulesFile) {
}
