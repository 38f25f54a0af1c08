package io.sluice.daemon.egress.tls;

import java.security.cert.CertificateException;

/**
 * The refusal of a host whose DNSSEC answers (MX, address or TLSA records) are bogus: thrown by
 * the trust manager a DANE policy gets for such a host, so no certificate is ever accepted there.
 * Its own type so that {@link TlsFailures} reports it as RFC 8460's {@code dnssec-invalid}, not as
 * the general {@code validation-failure} of a certificate that failed a check.
 */
public final class DnssecInvalidException extends CertificateException {
    private static final long serialVersionUID = 1L;

    public DnssecInvalidException(String message) {
        super(message);
    }
}
