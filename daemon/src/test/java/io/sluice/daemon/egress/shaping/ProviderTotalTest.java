package io.sluice.daemon.egress.shaping;

import io.sluice.daemon.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A provider's totals on one node: every source towards the provider draws on one rate and one cap. */
class ProviderTotalTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");

    private static ProviderRule rule(String sourceRate, int sourceCap, String totalRate, int totalCap) {
        return new ProviderRule("p", List.of(), List.of(), 10, sourceCap, 100, Rate.parse(sourceRate),
                Rate.UNLIMITED, io.sluice.protocol.client.TlsMode.NONE, Rate.parse(totalRate), totalCap);
    }

    @Test
    void twoSourcesTogetherStayWithinTheProvidersTotalRate() {
        ProviderRule rule = rule("unlimited", 10, "10/s", ProviderRule.NO_TOTAL);
        ProviderTotal total = new ProviderTotal(rule, SharedLimits.Share.UNSHARED);
        ProviderThrottle a = new ProviderThrottle(rule, SharedLimits.Share.UNSHARED, total);
        ProviderThrottle b = new ProviderThrottle(rule, SharedLimits.Share.UNSHARED, total);
        int admitted = 0;
        // both sources ask every millisecond for ten seconds
        for (long t = 0; t < 10 * SECOND; t += SECOND / 1000) {
            admitted += a.tryMessage(t) ? 1 : 0;
            admitted += b.tryMessage(t) ? 1 : 0;
        }
        assertTrue(admitted >= 100 && admitted <= 101, "10/s for 10 s across both sources, got " + admitted);
        assertTrue(a.waitMessageNanos(10 * SECOND - SECOND / 20) > 0, "the total's wait shows in each source's hint");
    }

    @Test
    void aSourceSlotRefusedByTheTotalGoesBackToTheSource() {
        ProviderRule rule = rule("1/s", 10, "1/s", ProviderRule.NO_TOTAL);
        ProviderTotal total = new ProviderTotal(rule, SharedLimits.Share.UNSHARED);
        ProviderThrottle a = new ProviderThrottle(rule, SharedLimits.Share.UNSHARED, total);
        ProviderThrottle b = new ProviderThrottle(rule, SharedLimits.Share.UNSHARED, total);
        assertTrue(a.tryMessage(0));
        assertFalse(b.tryMessage(0), "the total is spent by a");
        // b's own 1/s was not spent by the refusal: at the next total slot b may send
        assertTrue(b.tryMessage(SECOND));
        assertFalse(a.tryMessage(SECOND));
    }

    @Test
    void theTotalConnectionCapHoldsAcrossSourcesAndFreesOnRelease() {
        ProviderRule rule = rule("unlimited", 3, "unlimited", 4);
        ProviderTotal total = new ProviderTotal(rule, SharedLimits.Share.UNSHARED);
        ProviderThrottle a = new ProviderThrottle(rule, SharedLimits.Share.UNSHARED, total);
        ProviderThrottle b = new ProviderThrottle(rule, SharedLimits.Share.UNSHARED, total);
        assertTrue(a.tryOpenConnection(NOW));
        assertTrue(a.tryOpenConnection(NOW));
        assertTrue(a.tryOpenConnection(NOW));
        assertFalse(a.tryOpenConnection(NOW), "the source's own cap of 3");
        assertTrue(b.tryOpenConnection(NOW));
        assertFalse(b.tryOpenConnection(NOW), "the provider's total of 4");
        assertEquals(1, b.connections.get(), "a refused connection is not counted for the source");
        assertEquals(4, total.connections());
        a.releaseConnection();
        assertTrue(b.tryOpenConnection(NOW));
        assertEquals(4, total.connections());
    }

    @Test
    void aReloadChangesTheTotals() {
        ProviderTotal total = new ProviderTotal(rule("unlimited", 3, "unlimited", ProviderRule.NO_TOTAL),
                SharedLimits.Share.UNSHARED);
        assertTrue(total.tryMessage(0) && total.tryMessage(0));
        total.update(rule("unlimited", 3, "1/s", 1));
        assertTrue(total.tryMessage(0));
        assertFalse(total.tryMessage(1));
        assertTrue(total.tryOpenConnection());
        assertFalse(total.tryOpenConnection());
    }

    @Test
    void totalsAreReadFromTheRulesFileAndBadValuesNameTheirKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, """
                providers:
                  - name: sink
                    mx-suffixes: [.sink.test]
                    total-message-rate: 600/m
                    total-max-connections: 7
                  - name: other
                    mx-suffixes: [.other.test]
                """);
        ShapingRules rules = ShapingRules.load(ShapingRulesTest.BASE, file).validated();
        assertEquals("600/m", rules.byName("sink").totalMessageRate().toString());
        assertEquals(7, rules.byName("sink").totalMaxConnections());
        assertTrue(rules.byName("sink").hasTotals());
        assertTrue(rules.byName("other").totalMessageRate().unlimited(), "unlimited by default");
        assertEquals(ProviderRule.NO_TOTAL, rules.byName("other").totalMaxConnections());
        assertFalse(rules.byName("other").hasTotals());

        Files.writeString(file, "providers:\n  - name: x\n    total-message-rate: lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ShapingRules.load(ShapingRulesTest.BASE, file));
        assertTrue(e.getMessage().contains("providers[0].total-message-rate"), e.getMessage());
        Files.writeString(file, "providers:\n  - name: x\n    total-max-connections: 0\n");
        e = assertThrows(ConfigException.class, () -> ShapingRules.load(ShapingRulesTest.BASE, file));
        assertTrue(e.getMessage().contains("providers[0].total-max-connections"), e.getMessage());
        Files.writeString(file, "x: {total-message-rate: 10/s}\n");
        e = assertThrows(ConfigException.class, () -> ShapingRules.overridden(ShapingRules.PLACEHOLDER,
                io.sluice.daemon.config.YamlTree.load(file).get("x")));
        assertTrue(e.getMessage().contains("total-message-rate"), "a source cannot set a provider's total: "
                + e.getMessage());
    }
}
