package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The event log ({@code sluice.events.*}).
 *
 * @param file           JSON lines, one event per line, appended
 * @param rotateSize     the active file is rotated once it is this large ...
 * @param rotateInterval ... or this old, whichever comes first
 * @param keep           rotated files kept; older ones are deleted (never before the webhook
 *                       has shipped them)
 */
@ConfigurationProperties("sluice.events")
public record EventSettings(
        @Bindable(defaultValue = "./var/log/events.jsonl") @NotBlank String file,
        @Bindable(defaultValue = "100MB") @ReadableBytes @Min(1024) long rotateSize,
        @Bindable(defaultValue = "1d") Duration rotateInterval,
        @Bindable(defaultValue = "30") @Min(1) int keep) {
}
