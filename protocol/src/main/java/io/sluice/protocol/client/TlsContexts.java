package io.sluice.protocol.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS client contexts of one client: a shared one that takes any certificate (opportunistic
 * TLS), and one per session under a policy, whose {@link PeerTrust} holds that session's verdict.
 * Policy sessions refuse anything older than TLS 1.2 (RFC 8996; RFC 8461 §4.2 asks for TLS 1.2).
 */
final class TlsContexts {
    private static final String[] POLICY_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext opportunistic;
    private final X509TrustManager webPki;

    TlsContexts(SslContext opportunistic, X509TrustManager webPki) {
        this.opportunistic = opportunistic;
        this.webPki = webPki;
    }

    SslContext opportunistic() {
        return opportunistic;
    }

    /** A context for one session whose peer is judged by {@code trust}. */
    SslContext forPolicy(PeerTrust trust) throws SSLException {
        return SslContextBuilder.forClient().trustManager(trust).protocols(POLICY_PROTOCOLS).build();
    }

    PeerTrust trustFor(PeerAuthentication authentication, String serverName) {
        return new PeerTrust(authentication, webPki, serverName);
    }
}
