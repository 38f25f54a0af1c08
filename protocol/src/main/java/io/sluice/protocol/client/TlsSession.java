package io.sluice.protocol.client;

import java.security.cert.CertificateException;

/**
 * What came of STARTTLS on one session, for events and TLS reports.
 *
 * @param protocol     the negotiated protocol ({@code TLSv1.3}), null when the session is in clear
 * @param cipher       the cipher suite, null in clear
 * @param verification whether the peer's certificate was checked and passed
 * @param failure      why the check failed (a {@link Verification#FAILED} session that went on
 *                     because the policy only reports), else null
 */
public record TlsSession(String protocol, String cipher, Verification verification, CertificateException failure) {

    /** The outcome of the certificate check. */
    public enum Verification {
        /** Not asked for (opportunistic TLS, or no TLS at all). */
        NOT_CHECKED,
        /** Chain and name (or the delegated decision) passed. */
        VERIFIED,
        /** Checked and failed; only seen when the policy reports without enforcing. */
        FAILED
    }

    /** A session that never started TLS. */
    public static final TlsSession CLEAR = new TlsSession(null, null, Verification.NOT_CHECKED, null);

    public boolean encrypted() {
        return protocol != null;
    }
}
