package io.sluice.protocol.dns;

import java.util.List;

/** The outcome of resolving a domain for delivery. */
public sealed interface Route {

    /**
     * Hosts to try in order. Equal preferences are shuffled (RFC 5321 §5.1) so load spreads.
     *
     * @param implicitMx true when the domain has no MX and its own A/AAAA records are used
     */
    record Hosts(List<MxHost> hosts, boolean implicitMx, long ttlSeconds) implements Route {
        public Hosts {
            hosts = List.copyOf(hosts);
        }

        /** Hosts whose records carried no TTL worth keeping (ttlSeconds 0: ask again next time). */
        public Hosts(List<MxHost> hosts, boolean implicitMx) {
            this(hosts, implicitMx, 0);
        }
    }

    /** The domain publishes a null MX (RFC 7505): it accepts no mail. Bounce with 556 5.1.10. */
    record NullMx() implements Route {
    }

    /**
     * The domain does not exist (NXDOMAIN), or exists with neither MX nor address records, so
     * there is nowhere to deliver. Bounce.
     */
    record NoSuchDomain() implements Route {
    }

    /** SERVFAIL, timeout, refused, or no MX host with an address: try again later. */
    record TemporaryFailure(String reason) implements Route {
    }
}
