package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/**
 * Who may relay ({@code sluice.relay.*}): clients whose address is in one of these networks may
 * send to any domain; everyone else may only reach the domains Sluice receives for.
 *
 * @param networks CIDR blocks or single addresses, e.g. {@code 127.0.0.0/8,::1}
 */
@ConfigurationProperties("sluice.relay")
public record RelaySettings(@Bindable(defaultValue = "127.0.0.0/8,::1") List<String> networks) {
}
