package io.sluice.daemon.egress.tls;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where DANE (RFC 7672) plugs in: for a recipient domain and one of its MX hosts, the DANE
 * policy when the MX RRset and the host's addresses are DNSSEC-secure and TLSA records exist.
 * The answer is a {@link TlsPolicy} of kind {@link TlsPolicy.Kind#DANE} whose authentication is
 * a {@link io.sluice.protocol.client.PeerAuthentication.Delegated} trust manager built from the
 * usable TLSA records (or {@code Any} when TLSA exists but none is usable: TLS still mandatory).
 *
 * <p>Empty means "no DANE here" (insecure, no TLSA): MTA-STS and the provider rule decide. A
 * bogus answer is the source's to express as a DANE policy that cannot be satisfied (a trust
 * manager that refuses everything), so the domain defers rather than going out unprotected. The
 * future should not fail; if it does, the resolver treats it as empty and logs.
 */
@FunctionalInterface
public interface DaneSource {

    CompletableFuture<Optional<TlsPolicy>> policy(String domain, String mxHost);

    /** No DANE: until the DANE package is wired in, and when it is switched off. */
    DaneSource ABSENT = (domain, mxHost) -> CompletableFuture.completedFuture(Optional.empty());
}
