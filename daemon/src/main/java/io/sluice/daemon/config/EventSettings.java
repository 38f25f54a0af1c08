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
 * @param queueCapacity  events waiting for the writer at most; one that finds the queue full is
 *                       dropped and counted ({@code sluice_events_dropped_total}), so a writer
 *                       that cannot write never takes the heap with it
 * @param retryMax       longest wait between attempts while the file cannot be written
 *                       (doubling from 100 ms)
 * @param minFree        the writer holds back while the event file's disk has less free space
 */
@ConfigurationProperties("sluice.events")
public record EventSettings(
        @Bindable(defaultValue = "./var/log/events.jsonl") @NotBlank String file,
        @Bindable(defaultValue = "100MB") @ReadableBytes @Min(1024) long rotateSize,
        @Bindable(defaultValue = "1d") Duration rotateInterval,
        @Bindable(defaultValue = "30") @Min(1) int keep,
        @Bindable(defaultValue = "100000") @Min(16) int queueCapacity,
        @Bindable(defaultValue = "30s") Duration retryMax,
        @Bindable(defaultValue = "64MB") @ReadableBytes @Min(0) long minFree) {
}
