package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Site;
import io.sluice.daemon.egress.tls.TlsPolicy;

import io.sluice.protocol.smtp.SmtpReply;

import java.net.InetSocketAddress;
import java.util.List;

/** Where the deliveries of one destination go now, or why they cannot. */
public sealed interface RouteDecision {

    /**
     * A host to try: its name (for logs, events, SNI and the certificate check) and one of its
     * addresses, with the policy its domain published for it (DANE, MTA-STS), or null when it
     * published none and the provider rule's {@code tls} decides.
     */
    record Target(String hostName, InetSocketAddress address, TlsPolicy tls) {
        public Target(String hostName, InetSocketAddress address) {
            this(hostName, address, null);
        }

        public String describe() {
            return hostName + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
        }
    }

    /**
     * Hosts to try in order until one answers.
     *
     * @param mxHosts the MX host names (the smarthost's name), whose sorted set is the site
     * @param ttlSeconds how long the DNS answer may be kept
     */
    record Targets(List<Target> targets, List<String> mxHosts, long ttlSeconds) implements RouteDecision {
        public Targets(List<Target> targets) {
            this(targets, targets.stream().map(Target::hostName).distinct().toList(), Long.MAX_VALUE);
        }

        /**
         * The domain whose published policy these targets carry, or null when none does. Such a
         * domain's deliveries get egress paths of their own: its sessions' TLS results belong to it
         * (TLS-RPT counts per policy domain), and a failure under its policy defers it alone.
         */
        public String policyDomain() {
            for (Target t : targets) {
                if (t.tls() != null && t.tls().policyDomain() != null) {
                    return t.tls().policyDomain();
                }
            }
            return null;
        }

        /** The site: the sorted set of MX host names, so domains hosted alike share connections. */
        public Site site() {
            return Site.of(mxHosts);
        }
    }

    /** The destination can never take mail (null MX, no such domain): bounce with this reply. */
    record Refused(SmtpReply reply) implements RouteDecision {
    }

    /**
     * Not now (DNS failed, or no MX host the domain's MTA-STS policy allows): defer with this
     * reply; {@code tlsPolicy} names the policy when it was the reason, else null.
     */
    record Unavailable(SmtpReply reply, TlsPolicy tlsPolicy) implements RouteDecision {
        public Unavailable(SmtpReply reply) {
            this(reply, null);
        }
    }
}
