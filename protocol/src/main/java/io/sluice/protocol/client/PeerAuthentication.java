package io.sluice.protocol.client;

import java.util.Objects;
import javax.net.ssl.X509TrustManager;

/**
 * How the server's certificate is judged after STARTTLS. Opportunistic TLS takes whatever is
 * offered ({@link Any}); a transport-security policy (MTA-STS, DANE, a provider rule that requires
 * TLS) authenticates the peer. Every form but {@link Any} also refuses protocols older than
 * TLS 1.2 (RFC 8996, RFC 8461 §4.2).
 */
public sealed interface PeerAuthentication {

    /** Any certificate; the channel is encrypted but not authenticated (RFC 7435). */
    record Any() implements PeerAuthentication {
    }

    /**
     * The Web PKI: a chain to the client's trust anchors and the session's server name among the
     * certificate's DNS names (RFC 6125, wildcards as RFC 8461 §4.1 allows them).
     *
     * @param enforce false to check and report without refusing (MTA-STS {@code testing}): the
     *                session goes on and {@link TlsSession#verification()} tells what was found
     */
    record WebPki(boolean enforce) implements PeerAuthentication {
    }

    /**
     * A trust decision made elsewhere (DANE TLSA records, RFC 7672): the manager's
     * {@code checkServerTrusted} is the whole check, name and expiry included or not as it sees fit.
     */
    record Delegated(X509TrustManager trust) implements PeerAuthentication {
        public Delegated {
            Objects.requireNonNull(trust, "trust");
        }
    }

    PeerAuthentication ANY = new Any();

    /** Whether this form asks for the handshake to fail when the peer is not authenticated. */
    default boolean enforced() {
        if (this instanceof WebPki w) {
            return w.enforce();
        }
        return this instanceof Delegated;
    }
}
