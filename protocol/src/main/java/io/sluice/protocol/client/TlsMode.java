package io.sluice.protocol.client;

/** Whether to use STARTTLS (RFC 3207). */
public enum TlsMode {
    /** Never, even when offered. */
    NONE,
    /**
     * When offered, without verifying the certificate: MX certificates rarely match the MX name,
     * and an unverified channel still beats plain text (RFC 7435, opportunistic security). If the
     * server refuses STARTTLS the session goes on in clear; a failed handshake is a
     * {@link SmtpClientException.Kind#TLS} failure and the caller may retry with {@link #NONE}.
     */
    OPPORTUNISTIC,
    /**
     * Fail with {@link SmtpClientException.Kind#TLS} unless the session is encrypted. Whether the
     * certificate is verified is the settings' {@link PeerAuthentication}, chosen by the caller's
     * transport-security policy (MTA-STS, DANE, a provider rule).
     */
    REQUIRED
}
