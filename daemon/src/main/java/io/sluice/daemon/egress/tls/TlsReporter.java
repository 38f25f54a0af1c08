package io.sluice.daemon.egress.tls;

/**
 * Where per-policy-domain results go for TLS-RPT (RFC 8460): one call per session under a
 * policy (success or failure) and per failed policy fetch. The default does nothing; the TLS-RPT
 * package ({@code io.sluice.daemon.egress.tls.report}) provides the one that counts and reports.
 *
 * <p>Called from delivery worker threads and DNS callbacks: implementations must be thread-safe
 * and quick (count in memory, write later), and must not throw.
 */
@FunctionalInterface
public interface TlsReporter {

    void record(TlsResult result);

    /** Records nothing. */
    TlsReporter NONE = result -> {
    };
}
