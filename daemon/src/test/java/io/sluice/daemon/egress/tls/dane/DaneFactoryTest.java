package io.sluice.daemon.egress.tls.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DaneSettings;
import io.sluice.daemon.config.DnsSettings;
import io.sluice.protocol.dane.AdBitLookups;
import io.sluice.protocol.dane.ValidatingLookups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

class DaneFactoryTest {
    private static final DnsSettings DNS = new DnsSettings(List.of("127.0.0.1:53"), Duration.ofSeconds(2));

    @TempDir
    Path dir;

    @Test
    void localValidationUsesTheBundledRootAnchorsByDefault() {
        var lookups = DaneFactory.lookups(new DaneSettings("local", "", "", Duration.ofSeconds(2)), DNS, Clock.systemUTC());
        assertEquals(List.of(Name.root), assertInstanceOf(ValidatingLookups.class, lookups).anchorZones());
    }

    @Test
    void theAdBitIsTrustedFromALoopbackResolver() {
        assertInstanceOf(AdBitLookups.class, DaneFactory.lookups(
                new DaneSettings("resolver-ad", "", "127.0.0.1:53", Duration.ofSeconds(2)), DNS, Clock.systemUTC()));
    }

    @Test
    void theAdBitOfAResolverOffLoopbackIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> DaneFactory.lookups(
                new DaneSettings("resolver-ad", "", "192.0.2.53:53", Duration.ofSeconds(2)), DNS, Clock.systemUTC()));
        assertEquals("sluice.dane.resolver", e.key());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }

    @Test
    void resolverAdWithoutAResolverIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> DaneFactory.lookups(
                new DaneSettings("resolver-ad", "", "", Duration.ofSeconds(2)), DNS, Clock.systemUTC()));
        assertEquals("sluice.dane.resolver", e.key());
    }

    @Test
    void anAnchorFileWithoutKeysOrAMissingOneIsAConfigError() throws Exception {
        Path empty = Files.writeString(dir.resolve("anchors.txt"), "; nothing here\n");
        ConfigException e = assertThrows(ConfigException.class, () -> DaneFactory.lookups(
                new DaneSettings("local", empty.toString(), "", Duration.ofSeconds(2)), DNS, Clock.systemUTC()));
        assertEquals("sluice.dane.trust-anchors", e.key());
        ConfigException missing = assertThrows(ConfigException.class, () -> DaneFactory.lookups(
                new DaneSettings("local", dir.resolve("nope").toString(), "", Duration.ofSeconds(2)), DNS, Clock.systemUTC()));
        assertEquals("sluice.dane.trust-anchors", missing.key());
    }
}
