package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The reputation circuit breaker ({@code sluice.breaker.*}).
 *
 * @param enabled          false: rates are still counted and shown, but no rule warns or pauses
 * @param rulesFile        YAML breaker rules over the shipped ones (a shipped rule's name replaces
 *                         only the keys given); none: the shipped thresholds
 * @param suspendSources   opt-in: a failing source-health verdict (the doctor's: FCrDNS, a DNS
 *                         block list, an address not on the host) takes the source out of every
 *                         provider's rotation, never more than half of a pool's sources at once
 * @param sourceSuspendFor how long such a suspension lasts unless a passing verdict or an operator
 *                         lifts it first
 */
@ConfigurationProperties("sluice.breaker")
public record BreakerSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable String rulesFile,
        @Bindable(defaultValue = "false") boolean suspendSources,
        @Bindable(defaultValue = "24h") Duration sourceSuspendFor) {
}
