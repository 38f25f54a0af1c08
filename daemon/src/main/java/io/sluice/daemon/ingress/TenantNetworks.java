package io.sluice.daemon.ingress;

import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Relay networks bound to a tenant ({@code sluice.tenants.<name>.relay-networks}): their clients
 * may relay, and send as that tenant only (issue 18 item 3), so an application on a shared network
 * cannot name another tenant in {@code X-Sluice-Tenant} and get mail signed for its domains.
 * Clients of {@code sluice.relay.networks} outside every bound network stay the trusted local
 * senders they were (any known tenant). Networks of two tenants should not overlap; if they do,
 * the tenant first in name order wins. Immutable.
 */
public final class TenantNetworks {
    private record Binding(String tenant, RelayNetworks networks) {
    }

    private final List<Binding> bindings;

    private TenantNetworks(List<Binding> bindings) {
        this.bindings = List.copyOf(bindings);
    }

    public static TenantNetworks none() {
        return new TenantNetworks(List.of());
    }

    /** A ConfigException names the key of an entry that is not an address or CIDR block. */
    public static TenantNetworks from(PropertyResolver env) {
        List<Binding> out = new ArrayList<>();
        for (String tenant : new TreeSet<>(env.getPropertyEntries("sluice.tenants"))) {
            String key = "sluice.tenants." + tenant + ".relay-networks";
            if (env.containsProperty(key)) {
                List<String> entries = new ArrayList<>();
                env.getProperty(key, Argument.listOf(String.class)).orElse(List.of())
                        .forEach(e -> entries.addAll(List.of(e.split("[,\\s]+"))));
                out.add(new Binding(tenant, RelayNetworks.parse(key, entries)));
            }
        }
        return new TenantNetworks(out);
    }

    /** The tenant whose networks hold {@code client}, or null when none does. */
    public String tenantOf(InetAddress client) {
        for (Binding b : bindings) {
            if (b.networks().contains(client)) {
                return b.tenant();
            }
        }
        return null;
    }
}
