package io.sluice.daemon.egress.tls;

import java.util.List;
import java.util.Objects;

/**
 * One session's transport-security result for one policy domain, as TLS-RPT (RFC 8460) counts
 * them: success, or a failure of one of the RFC's result types.
 *
 * @param policyDomain  the domain whose policy applied (the recipient domain)
 * @param policyType    {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param policyStrings the policy as published (RFC 8460 §4.3 {@code policy-string}); may be empty
 * @param result        {@link ResultType#SUCCESS} or what failed
 * @param receivingMx   the MX host name the session was with; null for a policy that failed
 *                      before any session (a fetch error)
 * @param detail        free text for the report's {@code failure-reason-code}; may be null
 */
public record TlsResult(String policyDomain, PolicyType policyType, List<String> policyStrings, ResultType result,
                        String receivingMx, String detail) {

    public TlsResult {
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(policyType, "policyType");
        Objects.requireNonNull(result, "result");
        policyStrings = policyStrings == null ? List.of() : List.copyOf(policyStrings);
    }

    /** Failed MTA-STS fetches as results of policy type {@code sts}, for {@code reporter}. */
    public static io.sluice.daemon.egress.tls.sts.FetchFailures fetchFailuresTo(TlsReporter reporter) {
        return (domain, failure) -> reporter.record(new TlsResult(domain, PolicyType.STS, List.of(),
                switch (failure.problem()) {
                    case FETCH_ERROR -> ResultType.STS_POLICY_FETCH_ERROR;
                    case INVALID -> ResultType.STS_POLICY_INVALID;
                    case WEBPKI_INVALID -> ResultType.STS_WEBPKI_INVALID;
                }, null, failure.getMessage()));
    }

    /** RFC 8460 §4.3 {@code policy-type}. */
    public enum PolicyType {
        STS("sts"), TLSA("tlsa"), NO_POLICY_FOUND("no-policy-found");

        private final String label;

        PolicyType(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** RFC 8460 §4.3 {@code result-type}, plus the successes the summary counts. */
    public enum ResultType {
        SUCCESS("success"),
        STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
        CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
        CERTIFICATE_EXPIRED("certificate-expired"),
        CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
        VALIDATION_FAILURE("validation-failure"),
        TLSA_INVALID("tlsa-invalid"),
        DNSSEC_INVALID("dnssec-invalid"),
        DANE_REQUIRED("dane-required"),
        STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
        STS_POLICY_INVALID("sts-policy-invalid"),
        STS_WEBPKI_INVALID("sts-webpki-invalid");

        private final String label;

        ResultType(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
