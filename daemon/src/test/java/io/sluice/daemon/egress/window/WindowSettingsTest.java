package io.sluice.daemon.egress.window;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.sluice.daemon.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sluice.tenants.<name>.send-window} and {@code sluice.campaigns.<name>.send-window}. */
class WindowSettingsTest {

    private static WindowPolicy read(Map<String, Object> map) {
        return WindowSettings.from(new PropertySourcePropertyResolver(PropertySource.of("test", map)));
    }

    @Test
    void tenantAndCampaignWindowsAreRead() {
        WindowPolicy p = read(Map.of("sluice.tenants.acme.send-window", "tue 09:00-10:00 UTC",
                "sluice.tenants.acme.bounce-domain", "bounces.acme.test",
                "sluice.campaigns.spring.send-window", "wed 09:00-10:00 Europe/Paris"));
        Instant monday = Instant.parse("2026-03-02T10:00:00Z");
        assertEquals(Instant.parse("2026-03-03T09:00:00Z"), p.opening(Map.of("tenant", "acme"), monday));
        assertEquals(Instant.parse("2026-03-04T08:00:00Z"), p.opening(Map.of("campaign", "spring"), monday));
        assertNull(p.configured("other", null));
    }

    @Test
    void aConfiguredWindowThatCannotOpenNamesItsKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(Map.of("sluice.campaigns.spring.send-window", "mon 09:00-09:00 UTC")));
        assertEquals("sluice.campaigns.spring.send-window", e.key());
        assertTrue(e.getMessage().contains("empty hour range"), e.getMessage());
    }
}
