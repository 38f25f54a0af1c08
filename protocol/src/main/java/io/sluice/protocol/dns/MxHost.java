package io.sluice.protocol.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * One host to try, in order.
 *
 * @param name       the MX target, lower-case, without the trailing dot
 * @param preference the MX preference (lower first); 0 for an implicit MX
 * @param addresses  IPv4 addresses first, then IPv6; empty when the name resolved to nothing, in
 *                   which case the caller moves on to the next host
 */
public record MxHost(String name, int preference, List<InetAddress> addresses) {
    public MxHost {
        addresses = List.copyOf(addresses);
    }
}
