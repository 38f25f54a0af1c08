package io.sluice.daemon.egress.sources;

import io.sluice.daemon.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EgressPlanTest {

    @Test
    void withoutAFileThereIsOneImplicitSourceThatDoesNotBind() {
        EgressPlan plan = EgressPlan.load(null);
        Pool pool = plan.poolFor(null, null, null);
        assertEquals(1, pool.sources().size());
        assertNull(pool.sources().get(0).address());
    }

    @Test
    void poolAttributeThenCampaignThenTenantThenDefaultPickThePool(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("egress.yml");
        Files.writeString(file, """
                default-pool: shared
                sources:
                  a: {address: 127.0.0.21, ehlo: a.example}
                  b: {address: 127.0.0.22}
                pools:
                  shared: {sources: {a: 1, b: 3}}
                  onlyb: {sources: {b: 1}}
                  onlya: {sources: {a: 1}}
                tenants:
                  acme: {pool: onlyb, weight: 5}
                campaigns:
                  promo: {pool: onlya}
                """);
        EgressPlan plan = EgressPlan.load(file);
        assertEquals("onlya", plan.poolFor("onlya", null, "acme").name());
        assertEquals("onlya", plan.poolFor(null, "promo", "acme").name());
        assertEquals("onlyb", plan.poolFor(null, null, "acme").name());
        assertEquals("shared", plan.poolFor("nonesuch", null, "other").name());
        assertEquals(5, plan.tenantWeight("acme"));
        Pool shared = plan.pools().get("shared");
        long firstA = java.util.stream.LongStream.range(0, 400)
                .filter(t -> shared.order(t).get(0).name().equals("a")).count();
        assertEquals(100, firstA, "weights 1:3");
        assertEquals(List.of("b", "a"), shared.order(1).stream().map(Source::name).toList());
    }

    @Test
    void aSourceMayHaveItsOwnLimitsForAProvider(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("egress.yml");
        Files.writeString(file, """
                sources:
                  a:
                    address: 127.0.0.21
                    limits:
                      gmail: {message-rate: 5/s, max-connections: 2}
                pools:
                  p: {sources: {a: 1}}
                """);
        Source a = EgressPlan.load(file).sources().get("a");
        io.sluice.daemon.egress.shaping.ProviderRule gmail = io.sluice.daemon.egress.shaping.ShapingRules.overridden(
                io.sluice.daemon.egress.shaping.ShapingRules.PLACEHOLDER, a.limits().get("gmail"));
        assertEquals("5/s", gmail.messageRate().toString());
        assertEquals(2, gmail.maxConnections());
        assertEquals(1, gmail.maxConnectionsPerPath(), "what is not overridden stays the rule's");
        Files.writeString(file, "sources:\n  a: {address: 127.0.0.21, limits: {gmail: {message-rate: lots}}}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> EgressPlan.load(file));
        assertTrue(e.getMessage().contains("sources.a.limits.gmail.message-rate"), e.getMessage());
    }

    @Test
    void mistakesNameTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("egress.yml");
        Files.writeString(file, "sources:\n  a: {address: 127.0.0.21}\npools:\n  p: {sources: {zz: 1}}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> EgressPlan.load(file));
        assertTrue(e.getMessage().contains("pools.p.sources.zz"), e.getMessage());
        Files.writeString(file, "sources:\n  a: {address: 127.0.0.21, warmup: {schedule: nope, start: 2026-01-01}}\n");
        e = assertThrows(ConfigException.class, () -> EgressPlan.load(file));
        assertTrue(e.getMessage().contains("warmup.schedule"), e.getMessage());
        assertTrue(Map.of().isEmpty());
    }
}
