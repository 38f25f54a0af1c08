package io.sluice.daemon.egress.tls.sts;

/** A policy that could not be had, with the kind of problem (TLS-RPT names each one, RFC 8460 §4.3). */
public final class StsFetchException extends Exception {

    /** What went wrong; {@link #label()} is TLS-RPT's result type. */
    public enum Problem {
        /** No answer, a non-200 status, a redirect, a broken connection, the deadline. */
        FETCH_ERROR("sts-policy-fetch-error"),
        /** An answer that is not a valid policy: media type, size, syntax. */
        INVALID("sts-policy-invalid"),
        /** The policy host's certificate failed the Web PKI check. */
        WEBPKI_INVALID("sts-webpki-invalid");

        private final String label;

        Problem(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Problem problem;

    public StsFetchException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
