package io.sluice.daemon.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/**
 * One bearer token of the HTTP API: {@code sluice.api.tokens.<name>.sha256} (hex SHA-256 of the
 * token, e.g. {@code printf %s "$TOKEN" | sha256sum}; the token itself is never stored),
 * {@code .tenant}, {@code .pools} (the pools its requests may name; empty: none) and optional
 * {@code .expires-at} (RFC 3339).
 */
@EachProperty("sluice.api.tokens")
public record ApiToken(@Parameter String name,
                       String sha256,
                       @Bindable(defaultValue = "default") String tenant,
                       @Bindable(defaultValue = "") List<String> pools,
                       @Bindable(defaultValue = "") String expiresAt) {
}
