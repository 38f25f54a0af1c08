package io.sluice.daemon.ingress;

import io.sluice.daemon.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayNetworksTest {

    @Test
    void matchesCidrBlocksOfBothFamilies() throws Exception {
        RelayNetworks n = RelayNetworks.parse("k", List.of("127.0.0.0/8", "::1", "10.1.2.0/23"));
        assertTrue(n.contains(InetAddress.getByName("127.9.9.9")));
        assertTrue(n.contains(InetAddress.getByName("::1")));
        assertTrue(n.contains(InetAddress.getByName("10.1.3.255")));
        assertFalse(n.contains(InetAddress.getByName("10.1.4.0")));
        assertFalse(n.contains(InetAddress.getByName("128.0.0.1")));
        assertFalse(n.contains(InetAddress.getByName("::2")));
    }

    @Test
    void badEntriesNameTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RelayNetworks.parse("sluice.relay.networks", List.of("127.0.0.0/33")));
        assertEquals("sluice.relay.networks", e.key());
        assertTrue(e.getMessage().contains("127.0.0.0/33"));
        assertThrows(ConfigException.class, () -> RelayNetworks.parse("k", List.of("example.com")));
        assertThrows(ConfigException.class, () -> RelayNetworks.parse("k", List.of("1.2.3.4/x")));
    }
}
