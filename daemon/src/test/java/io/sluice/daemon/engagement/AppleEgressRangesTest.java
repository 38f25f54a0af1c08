package io.sluice.daemon.engagement;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.net.PrefixTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Apple's published egress list, in its own CSV format, as the Apple rule reads it. */
class AppleEgressRangesTest {
    /* Lines as Apple publishes them: prefix,country,region,city, (documentation ranges here) */
    private static final String SAMPLE = """
            172.224.226.0/27,GB,GB-EN,London,
            172.224.226.32/27,GB,GB-EN,London,
            192.0.2.128/25,US,US-CA,Cupertino,
            198.51.100.7,US,US-NY,New York,
            2a02:26f7:b3c0:4000::/64,GB,GB-EN,London,
            2001:db8:1234::/48,US,US-CA,Los Angeles,
            2001:db8:ffff:ffff:ffff:ffff:ffff:fffe/127,US,,,

            """;

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static AppleEgressRanges load(Path dir, String csv) throws Exception {
        Path f = dir.resolve("egress-ip-ranges.csv");
        Files.writeString(f, csv);
        return new AppleEgressRanges(f.toString());
    }

    @Test
    void addressesInsideAPublishedPrefixMatchAndTheirNeighboursDoNot(@TempDir Path dir) throws Exception {
        AppleEgressRanges r = load(dir, SAMPLE);
        assertEquals(7, r.prefixes());
        assertTrue(r.contains(ip("172.224.226.0")));
        assertTrue(r.contains(ip("172.224.226.63")), "two adjacent /27s merged");
        assertFalse(r.contains(ip("172.224.226.64")));
        assertFalse(r.contains(ip("172.224.225.255")));
        assertTrue(r.contains(ip("192.0.2.200")));
        assertFalse(r.contains(ip("192.0.2.127")));
        assertTrue(r.contains(ip("198.51.100.7")), "a bare address is a /32");
        assertFalse(r.contains(ip("198.51.100.8")));
        assertTrue(r.contains(ip("2a02:26f7:b3c0:4000::1")));
        assertTrue(r.contains(ip("2a02:26f7:b3c0:4000:ffff:ffff:ffff:ffff")));
        assertFalse(r.contains(ip("2a02:26f7:b3c0:4001::")));
        assertTrue(r.contains(ip("2001:db8:1234:ffff::9")));
        assertFalse(r.contains(ip("2001:db8:1235::")));
        assertTrue(r.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
        assertFalse(r.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:fffd")));
        assertTrue(r.contains(ip("::ffff:192.0.2.130")), "an IPv4-mapped address is its IPv4 address");
        assertFalse(r.contains(ip("10.0.0.1")));
        assertFalse(r.contains(null));
    }

    @Test
    void unsetMeansNothingMatches() throws Exception {
        AppleEgressRanges r = new AppleEgressRanges(null);
        assertEquals(0, r.prefixes());
        assertFalse(r.contains(ip("172.224.226.1")));
        r.reload(); // nothing to read: no error
    }

    @Test
    void aBadLineNamesTheKeyTheFileAndTheLine(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(dir, "192.0.2.0/24,US,,,\nexample.com,US,,,\n"));
        assertEquals(AppleEgressRanges.KEY, e.key());
        assertTrue(e.getMessage().contains("line 2 (example.com)"), e.getMessage());
        assertThrows(ConfigException.class, () -> load(dir, "192.0.2.0/33,US,,,\n"));
        assertThrows(ConfigException.class, () -> load(dir, "2001:db8::/129,US,,,\n"));
        ConfigException missing = assertThrows(ConfigException.class,
                () -> new AppleEgressRanges(dir.resolve("absent.csv").toString()));
        assertEquals(AppleEgressRanges.KEY, missing.key());
    }

    @Test
    void reloadReadsTheFileAgainAndABadFileKeepsTheRangesInForce(@TempDir Path dir) throws Exception {
        AppleEgressRanges r = load(dir, "192.0.2.0/24,US,,,\n");
        Path f = dir.resolve("egress-ip-ranges.csv");
        Files.writeString(f, "198.51.100.0/24,US,,,\n");
        r.reload();
        assertTrue(r.contains(ip("198.51.100.1")));
        assertFalse(r.contains(ip("192.0.2.1")));
        Files.writeString(f, "not,a,csv\n");
        assertThrows(ConfigException.class, r::reload);
        assertTrue(r.contains(ip("198.51.100.1")), "the last good list stays");
    }

    @Test
    void aLargeListIsMergedIntoFewRanges() throws Exception {
        PrefixTable.Builder b = new PrefixTable.Builder();
        for (int i = 0; i < 65_536; i++) { // 10.0.0.0/8 as 65,536 adjacent /24s
            b.add(InetAddress.getByAddress(new byte[]{10, (byte) (i >> 8), (byte) i, 0}), 24);
        }
        b.add(ip("::"), 0);
        PrefixTable t = b.build();
        assertEquals(65_537, t.prefixes());
        assertEquals(2, t.ranges());
        assertTrue(t.contains(ip("10.255.255.255")));
        assertFalse(t.contains(ip("11.0.0.0")));
        assertTrue(t.contains(ip("ffff::1")), "::/0 holds every IPv6 address");
    }
}
