package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Site;

import io.sluice.protocol.smtp.SmtpReply;

import java.net.InetSocketAddress;
import java.util.List;

/** Where the deliveries of one destination go now, or why they cannot. */
public sealed interface RouteDecision {

    /** A host to try: its name (for logs and events) and one of its addresses. */
    record Target(String hostName, InetSocketAddress address) {
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

        /** The site: the sorted set of MX host names, so domains hosted alike share connections. */
        public Site site() {
            return Site.of(mxHosts);
        }
    }

    /** The destination can never take mail (null MX, no such domain): bounce with this reply. */
    record Refused(SmtpReply reply) implements RouteDecision {
    }

    /** Not now (DNS failed): defer with this reply. */
    record Unavailable(SmtpReply reply) implements RouteDecision {
    }
}
