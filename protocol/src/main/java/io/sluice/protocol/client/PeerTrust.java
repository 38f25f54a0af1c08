package io.sluice.protocol.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The trust decision of one session under a {@link PeerAuthentication} other than {@code Any}:
 * checks the chain (and for the Web PKI the server name), remembers what it found for
 * {@link TlsSession}, and refuses the handshake only when the policy enforces. One per session,
 * so the verdict belongs to exactly one peer.
 */
final class PeerTrust extends X509ExtendedTrustManager {
    private final PeerAuthentication authentication;
    private final X509TrustManager webPki;
    private final String serverName;
    private volatile TlsSession.Verification verification = TlsSession.Verification.NOT_CHECKED;
    private volatile CertificateException failure;

    /**
     * @param webPki     the trust anchors for {@link PeerAuthentication.WebPki}
     * @param serverName the name the certificate must carry (the MX host name)
     */
    PeerTrust(PeerAuthentication authentication, X509TrustManager webPki, String serverName) {
        this.authentication = authentication;
        this.webPki = webPki;
        this.serverName = serverName;
    }

    TlsSession.Verification verification() {
        return verification;
    }

    CertificateException failure() {
        return failure;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            check(chain, authType, null);
            verification = TlsSession.Verification.VERIFIED;
        } catch (CertificateException e) {
            verification = TlsSession.Verification.FAILED;
            failure = e;
            if (authentication.enforced()) {
                throw e;
            }
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    private void check(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        if (authentication instanceof PeerAuthentication.Delegated d) {
            d.trust().checkServerTrusted(chain, authType);
            return;
        }
        webPki.checkServerTrusted(chain, authType);
        if (serverName == null || !CertificateNames.matches(chain[0], serverName)) {
            throw new CertificateNameMismatchException("certificate names " + CertificateNames.dnsNames(chain[0])
                    + ", not " + serverName);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client never judges clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a client never judges clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a client never judges clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
