package io.sluice.daemon.egress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Mail exchangers that point into special-purpose ranges are never delivered to (unless allowed). */
class RouterPrivateMxTest {

    @Test
    void specialPurposeRangesAreNotDeliveredTo() throws Exception {
        for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "100.64.0.1",
                "169.254.1.1", "224.0.0.251", "0.0.0.0", "::1", "fd00::1", "fe80::1", "ff02::1",
                "64:ff9b::a00:1", "2002:c0a8:101::1", "::ffff:192.168.1.1", "2001:db8::1"}) {
            assertTrue(Router.isPrivate(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void globalUnicastIsDeliveredTo() throws Exception {
        for (String a : new String[] {"8.8.8.8", "93.184.216.34", "2a00:1450:4001::1a", "64:ff9b::808:808",
                "2002:808:808::1"}) {
            assertFalse(Router.isPrivate(InetAddress.getByName(a)), a);
        }
    }
}
