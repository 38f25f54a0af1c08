package io.sluice.daemon.egress;

import java.net.InetAddress;

/**
 * A sending identity: the local address we bind and the name we give in EHLO.
 *
 * @param address null for the implicit source (no bind; the system picks the address)
 * @param ehloName null to use sluice.delivery.ehlo-name
 * @param warmup the source's warm-up plan, or null when it is not warming up
 */
public record Source(String name, InetAddress address, String ehloName, Warmup warmup) {

    /** A source in warm-up: which schedule, since when, and whether it is paused. */
    public record Warmup(String schedule, java.time.LocalDate start, boolean paused) {
    }

    /** The one source used when no pool is configured: today's behaviour, no bind. */
    public static final Source IMPLICIT = new Source("default", null, null, null);

    public String describe() {
        return address == null ? name : name + "[" + address.getHostAddress() + "]";
    }
}
