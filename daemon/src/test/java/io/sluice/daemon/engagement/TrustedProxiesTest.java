package io.sluice.daemon.engagement;

import io.sluice.daemon.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which address a client has: X-Forwarded-For only through configured proxies. */
class TrustedProxiesTest {
    private static final TrustedProxies NGINX = new TrustedProxies(List.of("127.0.0.1", "10.0.0.0/8"));

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverItSays() throws Exception {
        TrustedProxies none = new TrustedProxies(List.of());
        assertEquals(ip("127.0.0.1"), none.client(ip("127.0.0.1"), List.of("17.0.0.1")));
        assertEquals(ip("127.0.0.1"), new TrustedProxies(null).client(ip("127.0.0.1"), List.of("17.0.0.1")));
        assertNull(none.client(null, List.of()));
    }

    @Test
    void anUntrustedPeerCannotNameAnotherAddress() throws Exception {
        assertEquals(ip("192.0.2.9"), NGINX.client(ip("192.0.2.9"), List.of("17.0.0.1")));
    }

    @Test
    void behindTrustedProxiesTheFirstUntrustedHopFromTheRightIsTheClient() throws Exception {
        assertEquals(ip("17.0.0.1"), NGINX.client(ip("127.0.0.1"), List.of("17.0.0.1")));
        assertEquals(ip("17.0.0.1"), NGINX.client(ip("127.0.0.1"), List.of("203.0.113.5, 17.0.0.1, 10.1.1.1")),
                "left of the first untrusted hop is the client's own say: ignored");
        assertEquals(ip("17.0.0.1"), NGINX.client(ip("127.0.0.1"), List.of("203.0.113.5", "17.0.0.1 , 10.1.1.1")),
                "several fields are one list");
        assertEquals(ip("2001:db8::1"), NGINX.client(ip("127.0.0.1"), List.of("[2001:db8::1]:4711")));
        assertEquals(ip("198.51.100.2"), NGINX.client(ip("127.0.0.1"), List.of("198.51.100.2:5555")));
        assertEquals(ip("10.1.1.1"), NGINX.client(ip("127.0.0.1"), List.of("10.1.1.1")),
                "all hops trusted: the leftmost");
        assertEquals(ip("127.0.0.1"), NGINX.client(ip("127.0.0.1"), List.of()), "no header: the proxy itself");
    }

    @Test
    void garbageEndsTheWalk() throws Exception {
        assertEquals(ip("10.1.1.1"), NGINX.client(ip("127.0.0.1"), List.of("17.0.0.1, unknown, 10.1.1.1")));
        assertEquals(ip("127.0.0.1"), NGINX.client(ip("127.0.0.1"), List.of("example.com")), "no DNS lookup, no name");
        assertEquals(ip("127.0.0.1"), NGINX.client(ip("127.0.0.1"), List.of("1234")));
    }

    @Test
    void aBadEntryNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new TrustedProxies(List.of("10.0.0.0/40")));
        assertEquals("sluice.http.trusted-proxies", e.key());
    }
}
