package io.sluice.daemon.http;

import io.micronaut.serde.annotation.Serdeable;

/** One field at fault in a request (RFC 9457 §3.2 extension member "invalid_params"). */
@Serdeable
public record InvalidParam(String name, String reason) {
}
