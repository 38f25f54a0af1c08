package io.sluice.daemon.egress.tls;

import io.sluice.protocol.client.TlsSession;

/**
 * Turns what happened to one session under a policy into its {@link TlsOutcome} (for events and
 * metrics) and, under a published policy (MTA-STS, DANE), into a {@link TlsResult} for the
 * {@link TlsReporter}: success, or the RFC 8460 result type of the failure. Thread-safe.
 */
public final class TlsSessionResults {
    private final TlsReporter reporter;

    public TlsSessionResults(TlsReporter reporter) {
        this.reporter = reporter;
    }

    /** A session that was established (possibly in clear, possibly with a failed check under testing). */
    public TlsOutcome established(TlsPolicy policy, String mxHost, TlsSession session) {
        if (policy.published()) {
            TlsResult.ResultType type;
            String detail = null;
            if (!session.encrypted()) {
                type = TlsResult.ResultType.STARTTLS_NOT_SUPPORTED;
            } else if (session.verification() == TlsSession.Verification.FAILED) {
                type = TlsFailures.classify(session.failure());
                detail = session.failure() == null ? null : session.failure().getMessage();
            } else {
                type = TlsResult.ResultType.SUCCESS;
            }
            report(policy, mxHost, type, detail);
        }
        return TlsOutcome.of(policy, session);
    }

    /** A session that could not be had because TLS failed (handshake, check, STARTTLS missing). */
    public TlsOutcome failed(TlsPolicy policy, String mxHost, Throwable error) {
        if (policy.published()) {
            report(policy, mxHost, TlsFailures.classify(error), String.valueOf(error.getMessage()));
        }
        return TlsOutcome.failed(policy);
    }

    private void report(TlsPolicy policy, String mxHost, TlsResult.ResultType type, String detail) {
        try {
            reporter.record(new TlsResult(policy.policyDomain(), policy.reportType(), policy.policyStrings(), type,
                    mxHost, detail));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TlsSessionResults.class).warn("the TLS reporter failed", e);
        }
    }
}
