package io.sluice.daemon.egress.route;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A receiving site: the sorted set of MX host names a destination resolved to. Domains hosted
 * alike share one site, and so their egress paths, connections and holds ("MX rollup").
 */
public record Site(List<String> hosts) {

    public Site {
        hosts = List.copyOf(new TreeSet<>(hosts));
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a site needs at least one host");
        }
    }

    public static Site of(Collection<String> hosts) {
        return new Site(List.copyOf(hosts));
    }

    /** Reads the {@link #name()} form, as an operator writes it in a hold scope. */
    public static Site parse(String name) {
        return new Site(List.of(name.split(",")));
    }

    /** The hosts joined by commas: the site's name in paths, holds, the admin API and logs. */
    public String name() {
        // most sites are one host: its name as it is, not a joiner and a new string per call (issue 14)
        return hosts.size() == 1 ? hosts.get(0) : String.join(",", hosts);
    }

    @Override
    public String toString() {
        return name();
    }
}
