package io.sluice.protocol.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MX resolution against a real DNS server (dnsmasq on loopback). */
class MxResolverTest {
    private static Dnsmasq dns;
    private static ExecutorService executor;
    private static MxResolver resolver;

    @BeforeAll
    static void startDns() {
        dns = Dnsmasq.builder()
                .host("mx1.example.test", "127.0.0.10", "::10")
                .mx("example.test", "mx1.example.test", 10)
                .host("a.two.test", "127.0.0.21")
                .host("b.two.test", "127.0.0.22")
                .host("c.two.test", "127.0.0.23")
                .mx("two.test", "b.two.test", 20)
                .mx("two.test", "c.two.test", 20)
                .mx("two.test", "a.two.test", 5)
                .nullMx("nullmx.test")
                .host("aonly.test", "127.0.0.31")
                .mx("noaddr.test", "ghost.noaddr.test", 10)
                .mx("halfaddr.test", "ghost.halfaddr.test", 10)
                .mx("halfaddr.test", "mx1.example.test", 20)
                .option("--txt-record=nomail.test,\"exists but has no MX and no address\"")
                .start();
        executor = Executors.newFixedThreadPool(2);
        resolver = new MxResolver(List.of(dns.address()), Duration.ofSeconds(2), executor);
    }

    @AfterAll
    static void stopDns() throws InterruptedException {
        if (dns != null) {
            dns.close();
        }
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void singleMxResolvesToItsAddresses() throws Exception {
        Route.Hosts hosts = assertInstanceOf(Route.Hosts.class, resolve("example.test"));
        assertEquals(false, hosts.implicitMx());
        assertEquals(1, hosts.hosts().size());
        MxHost mx = hosts.hosts().get(0);
        assertEquals("mx1.example.test", mx.name());
        assertEquals(10, mx.preference());
        // both families, in random order (so load spreads over a host's addresses)
        assertEquals(java.util.Set.of(InetAddress.getByName("127.0.0.10"), InetAddress.getByName("::10")),
                java.util.Set.copyOf(mx.addresses()));
    }

    @Test
    void theAnswerCarriesTheSmallestTtlOfItsRecords() throws Exception {
        Route.Hosts hosts = assertInstanceOf(Route.Hosts.class, resolve("example.test"));
        assertTrue(hosts.ttlSeconds() > 0 && hosts.ttlSeconds() <= 60, "dnsmasq serves TTL 60: " + hosts.ttlSeconds());
    }

    @Test
    void mxHostsAreSortedByPreferenceAndEqualPreferencesShuffled() throws Exception {
        Set<String> secondPlaces = new HashSet<>();
        for (int i = 0; i < 30 && secondPlaces.size() < 2; i++) {
            Route.Hosts hosts = assertInstanceOf(Route.Hosts.class, resolve("two.test"));
            List<String> names = hosts.hosts().stream().map(MxHost::name).toList();
            assertEquals("a.two.test", names.get(0));
            assertEquals(Set.of("b.two.test", "c.two.test"), Set.copyOf(names.subList(1, 3)));
            assertEquals(List.of(5, 20, 20), hosts.hosts().stream().map(MxHost::preference).toList());
            secondPlaces.add(names.get(1));
        }
        assertEquals(2, secondPlaces.size(), "equal preferences should come in both orders over 30 lookups");
    }

    @Test
    void nullMxMeansTheDomainAcceptsNoMail() throws Exception {
        assertInstanceOf(Route.NullMx.class, resolve("nullmx.test"));
    }

    @Test
    void domainWithoutMxUsesItsOwnAddressAsImplicitMx() throws Exception {
        Route.Hosts hosts = assertInstanceOf(Route.Hosts.class, resolve("aonly.test"));
        assertTrue(hosts.implicitMx());
        assertEquals(List.of(new MxHost("aonly.test", 0, List.of(InetAddress.getByName("127.0.0.31")))), hosts.hosts());
    }

    @Test
    void nonexistentDomainIsNoSuchDomain() throws Exception {
        assertInstanceOf(Route.NoSuchDomain.class, resolve("nope.example.test"));
    }

    @Test
    void existingNameWithNeitherMxNorAddressIsNoSuchDomain() throws Exception {
        assertInstanceOf(Route.NoSuchDomain.class, resolve("nomail.test"));
    }

    @Test
    void mxHostWithoutAddressesIsAnOrderlyTemporaryFailure() throws Exception {
        Route.TemporaryFailure failure = assertInstanceOf(Route.TemporaryFailure.class, resolve("noaddr.test"));
        assertEquals("MX hosts have no addresses", failure.reason());
    }

    @Test
    void mxHostWithoutAddressIsKeptEmptySoTheCallerTriesTheNext() throws Exception {
        Route.Hosts hosts = assertInstanceOf(Route.Hosts.class, resolve("halfaddr.test"));
        assertEquals("ghost.halfaddr.test", hosts.hosts().get(0).name());
        assertEquals(List.of(), hosts.hosts().get(0).addresses());
        assertEquals("mx1.example.test", hosts.hosts().get(1).name());
        assertEquals(2, hosts.hosts().get(1).addresses().size());
    }

    @Test
    void namesAreCaseInsensitiveAndMayEndWithADot() throws Exception {
        assertInstanceOf(Route.Hosts.class, resolve("EXAMPLE.Test."));
    }

    @Test
    void unreachableServerIsATemporaryFailure() throws Exception {
        MxResolver nowhere = new MxResolver(List.of(new InetSocketAddress("127.0.0.1", FreePorts.tcpAndUdp())),
                Duration.ofMillis(500), executor);
        Route route = nowhere.resolve("example.test").get(10, TimeUnit.SECONDS);
        assertInstanceOf(Route.TemporaryFailure.class, route, route.toString());
    }

    @Test
    void serverFailureIsATemporaryFailure() throws Exception {
        // dnsmasq forwards fail.test to a port where nothing listens and answers SERVFAIL/REFUSED.
        int dead = FreePorts.tcpAndUdp();
        try (Dnsmasq forwarding = Dnsmasq.builder().option("--server=/fail.test/127.0.0.1#" + dead).start()) {
            MxResolver r = new MxResolver(List.of(forwarding.address()), Duration.ofSeconds(3), executor);
            Route route = r.resolve("fail.test").get(20, TimeUnit.SECONDS);
            assertInstanceOf(Route.TemporaryFailure.class, route, route.toString());
        }
    }

    @Test
    void parseServers() {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 53), new InetSocketAddress("127.0.0.2", 5353),
                        new InetSocketAddress("::1", 5300), new InetSocketAddress("::1", 53)),
                MxResolver.parseServers(" 127.0.0.1, 127.0.0.2:5353,[::1]:5300,::1"));
        assertEquals(List.of(), MxResolver.parseServers(""));
        assertThrows(IllegalArgumentException.class, () -> MxResolver.parseServers("127.0.0.1:x"));
        assertThrows(IllegalArgumentException.class, () -> MxResolver.parseServers("127.0.0.1:70000"));
        assertThrows(IllegalArgumentException.class, () -> MxResolver.parseServers("[::1"));
    }

    private static Route resolve(String domain) throws Exception {
        return resolver.resolve(domain).get(10, TimeUnit.SECONDS);
    }
}
