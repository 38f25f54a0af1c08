package io.sluice.daemon.egress.tls.sts;

import io.sluice.daemon.egress.tls.TlsResult;

/** A policy that could not be had, with the TLS-RPT result type that names why. */
public final class StsFetchException extends Exception {
    private final TlsResult.ResultType type;

    public StsFetchException(TlsResult.ResultType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public TlsResult.ResultType type() {
        return type;
    }
}
