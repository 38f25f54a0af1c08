package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * The spool ({@code sluice.spool.*}).
 *
 * @param dir        where the {@code messages} and {@code journal} queues live
 * @param durability {@code mmap} (survives a killed process) or {@code fsync} (group commit;
 *                   survives power loss)
 * @param minFree    below this much free disk new mail gets 452 4.3.1 and /health is degraded
 * @param rollCycle  Chronicle roll cycle name; at most an hour so disk can be reclaimed
 * @param reclaimInterval how often finished roll cycles are deleted (after copying forward the
 *                   few live messages left in them) and the journal is checkpointed
 * @param maxLiveDeliveries past this many live deliveries new mail gets 452 4.3.1 (HTTP 507) and
 *                   /health is degraded: each is held in memory until its final outcome; 0 = half
 *                   the JVM's maximum heap at 1 KB per delivery
 */
@ConfigurationProperties("sluice.spool")
public record SpoolSettingsConfig(
        @Bindable(defaultValue = "./var/spool") @NotBlank String dir,
        @Bindable(defaultValue = "fsync") @Pattern(regexp = "(?i)mmap|fsync", message = "must be mmap or fsync") String durability,
        @Bindable(defaultValue = "256MB") @ReadableBytes @Min(0) long minFree,
        @Bindable(defaultValue = "HOURLY") @NotBlank String rollCycle,
        @Bindable(defaultValue = "30s") Duration reclaimInterval,
        @Bindable(defaultValue = "0") @Min(0) long maxLiveDeliveries) {

    /** The limit in force: the configured one, or the one derived from {@code maxHeapBytes}. */
    public long liveDeliveriesLimit(long maxHeapBytes) {
        return maxLiveDeliveries > 0 ? maxLiveDeliveries : Math.max(10_000, maxHeapBytes / 2 / 1024);
    }
}
