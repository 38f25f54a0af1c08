package io.sluice.daemon.ingress.http;

import io.sluice.daemon.http.InvalidParam;

import java.util.List;

/** A request with fields at fault; becomes a 400 problem with {@code invalid_params}. */
final class InvalidRequestException extends Exception {
    private final List<InvalidParam> params;

    InvalidRequestException(List<InvalidParam> params) {
        super(params.isEmpty() ? "invalid request" : params.get(0).name() + ": " + params.get(0).reason(), null,
                false, false);
        this.params = params;
    }

    List<InvalidParam> params() {
        return params;
    }
}
