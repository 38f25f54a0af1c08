package io.sluice.daemon.egress.tls.sts;

/** Hears of every policy fetch that failed (for TLS-RPT); must be quick, thread-safe and never throw. */
@FunctionalInterface
public interface FetchFailures {

    void failed(String domain, StsFetchException failure);
}
