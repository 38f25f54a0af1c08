package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.FeedbackSettings;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.sluice.daemon.config.ConfigException;
import io.sluice.protocol.bounce.BounceCategory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackSettingsTest {
    private static FeedbackSettings of(Map<String, Object> map) {
        return FeedbackSettings.from(new PropertySourcePropertyResolver(PropertySource.of("test", map)));
    }

    @Test
    void defaultsNeedNoSecretAndRewriteNothing() {
        FeedbackSettings s = of(Map.of());
        assertNull(s.policy("default").bounceDomain());
        assertTrue(s.policy("default").hardBounce());
        assertEquals(5, s.policy("default").softBounceLimit());
        assertEquals(Set.of("default"), s.knownTenants());
    }

    @Test
    void tenantsOverrideOnlyWhatTheyName() {
        FeedbackSettings s = of(Map.of(
                "sluice.bounce.domain", "Bounces.Example.test",
                "sluice.bounce.secret", "0123456789abcdef0123",
                "sluice.hygiene.soft-bounce-limit", "3",
                "sluice.tenants.acme.bounce-domain", "bounces.acme.test",
                "sluice.tenants.acme.hygiene.soft-bounce-window", "2d",
                "sluice.tenants.acme.hygiene.soft-bounce-categories", "quota-issues"));
        assertEquals("bounces.example.test", s.policy("default").bounceDomain());
        assertEquals("bounces.acme.test", s.policy("acme").bounceDomain());
        assertEquals(3, s.policy("acme").softBounceLimit(), "inherited");
        assertEquals(Duration.ofDays(2), s.policy("acme").softBounceWindow());
        assertEquals(Set.of(BounceCategory.QUOTA_ISSUES), s.policy("acme").softBounceCategories());
        assertEquals(Set.of("bounces.example.test", "bounces.acme.test"), s.bounceDomains());
        assertEquals("X-Sluice-Trace", s.traceHeader());
        assertFalse(s.policy("unknown-tenant").unsubscribe());
    }

    @Test
    void badSettingsNameTheirKey() {
        assertEquals("sluice.bounce.secret", assertThrows(ConfigException.class,
                () -> of(Map.of("sluice.bounce.domain", "b.test"))).key());
        assertEquals("sluice.unsubscribe.url", assertThrows(ConfigException.class,
                () -> of(Map.of("sluice.unsubscribe.enabled", "true", "sluice.bounce.secret", "0123456789abcdef0123"))).key());
        assertEquals("sluice.hygiene.soft-bounce-categories", assertThrows(ConfigException.class,
                () -> of(Map.of("sluice.hygiene.soft-bounce-categories", "nonsense"))).key());
        assertEquals("sluice.hygiene.soft-bounce-limit", assertThrows(ConfigException.class,
                () -> of(Map.of("sluice.hygiene.soft-bounce-limit", "-1"))).key());
    }
}
