package io.sluice.daemon.egress.tls;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The published transport-security policies of one recipient domain, per MX host, decided
 * before connecting: DANE where the DANE source gave a policy, else MTA-STS, else nothing (the
 * provider rule decides). An MTA-STS {@code enforce} policy also says which MX hosts may be used
 * at all; the others are {@link #excluded()}.
 *
 * @param domain   the recipient domain (the policy domain)
 * @param byHost   the published policy per MX host name; a host absent here has none
 * @param excluded MX hosts an enforced MTA-STS policy does not list: never connected to
 * @param why      what was found, for operators ({@code sluicectl tls})
 */
public record DomainTls(String domain, Map<String, TlsPolicy> byHost, List<String> excluded, String why) {

    public DomainTls {
        byHost = Map.copyOf(byHost);
        excluded = List.copyOf(excluded);
    }

    /** No published policy: the provider rule decides for every host. */
    public static DomainTls none(String domain, String why) {
        return new DomainTls(domain, Map.of(), List.of(), why);
    }

    public Optional<TlsPolicy> policyFor(String mxHost) {
        return Optional.ofNullable(byHost.get(mxHost));
    }

    public boolean allows(String mxHost) {
        return !excluded.contains(mxHost);
    }

    /** Whether any host has a published policy (the domain's deliveries then get paths of their own). */
    public boolean published() {
        return !byHost.isEmpty();
    }
}
