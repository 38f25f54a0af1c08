package io.sluice.daemon.egress.sources;

import java.net.InetAddress;

/**
 * A sending identity: the local address we bind and the name we give in EHLO.
 *
 * @param address null for the implicit source (no bind; the system picks the address)
 * @param ehloName null to use sluice.delivery.ehlo-name
 * @param warmup the source's warm-up plan, or null when it is not warming up
 * @param limits per-provider overrides of the provider rules' limits for this source
 *               (provider name to the settings given, e.g. message-rate), validated at load
 */
public record Source(String name, InetAddress address, String ehloName, Warmup warmup,
                     java.util.Map<String, io.sluice.daemon.config.YamlTree> limits) {

    public Source {
        limits = limits == null ? java.util.Map.of() : java.util.Map.copyOf(limits);
    }

    public Source(String name, InetAddress address, String ehloName, Warmup warmup) {
        this(name, address, ehloName, warmup, java.util.Map.of());
    }

    /** A source in warm-up: which schedule, since when, and whether it is paused. */
    public record Warmup(String schedule, java.time.LocalDate start, boolean paused) {
    }

    /** The one source used when no pool is configured: today's behaviour, no bind. */
    public static final Source IMPLICIT = new Source("default", null, null, null);

    public String describe() {
        return address == null ? name : name + "[" + address.getHostAddress() + "]";
    }
}
