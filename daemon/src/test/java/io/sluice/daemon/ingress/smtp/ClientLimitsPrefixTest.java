package io.sluice.daemon.ingress.smtp;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An IPv6 client is given a whole /64 by its provider and may pick any address in it for each
 * connection, so the per-address connection limit counts the /64; IPv4 counts the address.
 */
class ClientLimitsPrefixTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void connectionsFromOneIpv6Slash64CountTogether() throws Exception {
        ClientLimits limits = new ClientLimits(2, 10, Clock.systemUTC());
        assertNull(limits.admit(ip("2001:db8:1:2::1")));
        assertNull(limits.admit(ip("2001:db8:1:2::2")));
        String third = limits.admit(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertNotNull(third, "a third address of the same /64 is over the limit of 2");
        // another /64 has its own allowance
        assertNull(limits.admit(ip("2001:db8:1:3::1")));
        // a slot comes back when one of the /64's sessions ends
        limits.release(ip("2001:db8:1:2::1"));
        assertNull(limits.admit(ip("2001:db8:1:2::abcd")));
    }

    @Test
    void ipv4AddressesCountOneByOne() throws Exception {
        ClientLimits limits = new ClientLimits(1, 10, Clock.systemUTC());
        assertNull(limits.admit(ip("192.0.2.1")));
        assertNull(limits.admit(ip("192.0.2.2")));
        assertNotNull(limits.admit(ip("192.0.2.1")));
    }
}
