package io.sluice.daemon.egress.tls;

import io.sluice.protocol.client.CertificateNameMismatchException;
import io.sluice.protocol.client.SmtpClientException;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/** Names a failed TLS session (or certificate check) by its TLS-RPT result type (RFC 8460 §4.3). */
public final class TlsFailures {

    private TlsFailures() {
    }

    public static TlsResult.ResultType classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DnssecInvalidException) {
                return TlsResult.ResultType.DNSSEC_INVALID; // RFC 8460 §4.3.2.2: bogus DNSSEC for the TLSA/MX lookup
            }
            if (t instanceof CertificateNameMismatchException) {
                return TlsResult.ResultType.CERTIFICATE_HOST_MISMATCH;
            }
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return TlsResult.ResultType.CERTIFICATE_EXPIRED;
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return TlsResult.ResultType.CERTIFICATE_EXPIRED;
            }
            if (t instanceof SmtpClientException s && s.getCause() == null && s.getMessage().contains("STARTTLS")) {
                return TlsResult.ResultType.STARTTLS_NOT_SUPPORTED; // "not offered" / "refused"
            }
            if (t instanceof java.security.cert.CertPathBuilderException) {
                return TlsResult.ResultType.CERTIFICATE_NOT_TRUSTED;
            }
        }
        return TlsResult.ResultType.VALIDATION_FAILURE;
    }
}
