package io.sluice.daemon.egress.tls.report;

import java.util.Locale;

/**
 * How one TLS session attempt ended: a success, or one of the {@code result-type} values of
 * RFC 8460 §4.3 (negotiation failures, policy failures, general failures).
 */
public enum SessionResult {
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

    private final String wire;

    SessionResult(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean success() {
        return this == SUCCESS;
    }

    public static SessionResult fromWire(String name) {
        for (SessionResult r : values()) {
            if (r.wire.equals(name.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown result-type " + name);
    }
}
