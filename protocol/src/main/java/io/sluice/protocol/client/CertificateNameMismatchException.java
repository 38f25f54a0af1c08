package io.sluice.protocol.client;

import java.security.cert.CertificateException;

/**
 * The server's certificate chains to a trusted anchor but does not name the host we connected to
 * (TLS-RPT's {@code certificate-host-mismatch}, RFC 8460 §4.3.2).
 */
public final class CertificateNameMismatchException extends CertificateException {
    public CertificateNameMismatchException(String message) {
        super(message);
    }
}
