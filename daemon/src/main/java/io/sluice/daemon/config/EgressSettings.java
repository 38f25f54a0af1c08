package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The egress engine ({@code sluice.egress.*}): where pools and schedules and provider rules are
 * read from, and the scheduler's pace.
 *
 * @param file      YAML file with sources, pools, tenants, campaigns and warm-up schedules; none:
 *                  one implicit source, no bind
 * @param rulesFile YAML file with provider rules and reply rules, ahead of the shipped ones
 * @param tick      how often the scheduler looks at timers, rates and queues
 * @param routeTtl  the longest a domain's MX answer (its site and provider rule) is reused; the
 *                  DNS TTL shortens it
 * @param brokenTlsMemory after STARTTLS with an MX address fails, how long we go there in clear
 * @param connectionIdleTime how long a connection whose path has no more work stays open for the
 *                  next delivery to the same path (zero: QUIT at once)
 */
@ConfigurationProperties("sluice.egress")
public record EgressSettings(
        @Nullable String file,
        @Nullable String rulesFile,
        @Bindable(defaultValue = "20ms") Duration tick,
        @Bindable(defaultValue = "5m") Duration routeTtl,
        @Bindable(defaultValue = "1d") Duration brokenTlsMemory,
        @Bindable(defaultValue = "2s") Duration connectionIdleTime) {
}
