package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * The event log ({@code sluice.events.*}).
 *
 * @param file JSON lines, one event per line, appended
 */
@ConfigurationProperties("sluice.events")
public record EventSettings(@Bindable(defaultValue = "./var/log/events.jsonl") @NotBlank String file) {
}
