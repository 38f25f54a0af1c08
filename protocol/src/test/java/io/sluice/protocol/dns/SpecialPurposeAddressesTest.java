package io.sluice.protocol.dns;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An MX record is written by whoever owns the recipient's zone, so it can point anywhere: the
 * filter refuses every address the IANA special-purpose registries mark not globally reachable,
 * multicast, and translation prefixes (NAT64, 6to4) that embed such an IPv4 address.
 */
class SpecialPurposeAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "0.0.0.0", "0.1.2.3", "10.1.2.3", "100.64.0.1", "100.127.255.254", "127.0.0.1", "169.254.169.254",
            "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.0.170", "192.0.2.1", "192.88.99.1", "192.168.1.1",
            "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
            "240.0.0.1", "255.255.255.255",
            "::", "::1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "64:ff9b::127.0.0.1", "64:ff9b:1::1", "100::1",
            "2001::1", "2001:2::1", "2001:db8::25", "2002:a00:1::1", "2002:7f00:1::", "3fff::1", "5f00::1",
            "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "ff0e::fb"})
    void refusesAddressesThatAreNotGlobalUnicast(String literal) throws UnknownHostException {
        InetAddress a = InetAddress.getByName(literal);
        assertFalse(SpecialPurposeAddresses.isGlobalUnicast(a), literal + " passed the filter");
        assertTrue(SpecialPurposeAddresses.rangeOf(a).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
            "192.0.1.1", "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255", "142.250.1.27",
            "2a00:1450:400c:c07::1b", "2607:f8b0:4004:c1b::1a", "64:ff9b::808:808", "2002:808:808::1",
            "2003::1", "2001:4860:4860::8888"})
    void acceptsGlobalUnicastAddresses(String literal) throws UnknownHostException {
        InetAddress a = InetAddress.getByName(literal);
        assertTrue(SpecialPurposeAddresses.isGlobalUnicast(a), literal + " refused as " + SpecialPurposeAddresses.rangeOf(a));
    }
}
