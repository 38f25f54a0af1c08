package io.sluice.daemon.egress.breaker;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.outcome.rates.RateWindow;
import io.sluice.daemon.outcome.rates.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The breaker's thresholds are data: the shipped defaults, an operator's overrides, precise errors. */
class BreakerRulesTest {
    @TempDir
    Path dir;

    private static BreakerRule named(BreakerRules rules, String name) {
        return rules.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theShippedRulesAreTheIssuesDefaults() {
        BreakerRules rules = BreakerRules.load((Path) null);
        BreakerRule pause = named(rules, "complaint-pause");
        assertEquals(Signal.COMPLAINT, pause.signal());
        assertEquals(BreakerRule.Over.DELIVERED, pause.over());
        assertEquals(0.003, pause.threshold(), 1e-12);
        assertEquals(1000, pause.minVolume());
        assertEquals(RateWindow.H24, pause.window());
        assertEquals(BreakerRule.Action.PAUSE, pause.action());
        assertEquals(0.001, named(rules, "complaint-warn").threshold(), 1e-12);
        BreakerRule bounces = named(rules, "hard-bounce-pause");
        assertEquals(0.05, bounces.threshold(), 1e-12);
        assertEquals(500, bounces.minVolume());
        assertEquals(BreakerRule.Scope.CAMPAIGN, bounces.scope());
        assertFalse(bounces.enabled(), "off until bounce classification meets its targets");
        BreakerRule blocks = named(rules, "block-cool-down");
        assertEquals(0.2, blocks.threshold(), 1e-12);
        assertEquals(RateWindow.M15, blocks.window());
        assertEquals(BreakerRule.Scope.SOURCE, blocks.scope());
        assertTrue(blocks.enabled());
    }

    @Test
    void anOperatorsRuleOfAShippedNameChangesOnlyTheKeysItGives() throws Exception {
        Path file = Files.writeString(dir.resolve("b.yml"), """
                rules:
                  - name: hard-bounce-pause
                    enabled: true
                  - name: unsubscribe-warn
                    signal: unsubscribe
                    over: delivered
                    threshold: 0.002
                    min-volume: 100
                    window: 1h
                    scope: tenant
                    action: warn
                """);
        BreakerRules rules = BreakerRules.load(file);
        BreakerRule bounces = named(rules, "hard-bounce-pause");
        assertTrue(bounces.enabled());
        assertEquals(0.05, bounces.threshold(), 1e-12);
        assertEquals(Duration.ofHours(24), bounces.pauseFor());
        assertEquals(0.002, named(rules, "unsubscribe-warn").threshold(), 1e-12);
        assertEquals(5, rules.rules().size());
    }

    @Test
    void aBadValueIsAConfigErrorNamingItsKey() throws Exception {
        for (String[] bad : new String[][]{
                {"threshold: 150%", "threshold"}, {"threshold: lots", "threshold"}, {"window: 2h", "window"},
                {"scope: planet", "scope"}, {"signal: delivered", "signal"}, {"min-volume: 0", "min-volume"},
                {"signal: open", "signal"}, {"signal: machine-click", "signal"}}) {
            Path file = Files.writeString(dir.resolve("bad.yml"), "rules:\n  - name: complaint-pause\n    "
                    + bad[0] + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> BreakerRules.load(file), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
