package io.sluice.daemon.label;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendingDomainsTest {
    private final SendingDomains domains = new SendingDomains(
            Map.of("shop", Set.of("Shop.Example"), "news", Set.of("news.shop.example")),
            Map.of("lax", SendingDomains.Mode.UNSIGNED), SendingDomains.Mode.REFUSE,
            Set.of("shop.example", "platform.example"));

    /** The rule as it was first written, with IDN and a regular expression. */
    private static String normaliseByRegex(String domain) {
        String d = domain.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.startsWith("[")) {
            return null;
        }
        try {
            d = java.net.IDN.toASCII(d, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return d.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*") ? d : null;
    }

    @Test
    void theHandWrittenCheckAgreesWithTheRegularExpressionOnRandomNames() {
        java.util.Random random = new java.util.Random(14);
        String alphabet = "aZz09_-.. é\u00fc[\t";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(i % 100 == 0 ? 80 : 12);
            for (int k = 0; k < n; k++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String name = b.toString();
            assertEquals(normaliseByRegex(name), SendingDomains.normalise(name), () -> "'" + name + "'");
        }
        assertEquals("xn--bcher-kva.example", SendingDomains.normalise("Bücher.Example."));
        assertNull(SendingDomains.normalise("a".repeat(64) + ".example"), "a label is at most 63 octets");
        assertEquals("a".repeat(63) + ".example", SendingDomains.normalise("a".repeat(63) + ".example"));
    }

    @Test
    void aTenantThatDeclaresDomainsUsesThemAndTheirSubdomainsOnly() {
        assertTrue(domains.mayUse("shop", "shop.example"));
        assertTrue(domains.mayUse("shop", "mail.shop.example."));
        assertFalse(domains.mayUse("shop", "news.shop.example"), "the more specific declaration owns it");
        assertTrue(domains.mayUse("news", "a.news.shop.example"));
        assertFalse(domains.mayUse("shop", "elsewhere.example"), "nobody's, but shop declared its own");
        assertFalse(domains.mayUse("shop", null));
    }

    @Test
    void theDefaultTenantKeepsUndeclaredDkimDomainsAndEverythingNobodyOwns() {
        assertTrue(domains.mayUse(null, "platform.example"));
        assertTrue(domains.mayUse("default", "src.test"));
        assertFalse(domains.mayUse("default", "shop.example"));
        assertEquals("default", domains.owner("x.platform.example"));
        assertNull(domains.owner("src.test"));
    }

    @Test
    void aTenantWithoutDomainsNeverGetsADkimDomainOrAnotherTenants() {
        assertTrue(domains.mayUse("lax", "src.test"));
        assertFalse(domains.mayUse("lax", "platform.example"));
        assertFalse(domains.mayUse("lax", "shop.example"));
        assertEquals(SendingDomains.Mode.UNSIGNED, domains.mode("lax"));
        assertEquals(SendingDomains.Mode.REFUSE, domains.mode("shop"));
    }

    @Test
    void idnDomainsCompareAsALabels() {
        SendingDomains idn = new SendingDomains(Map.of("t", Set.of("bücher.example")), Map.of(),
                SendingDomains.Mode.REFUSE, Set.of());
        assertTrue(idn.mayUse("t", "xn--bcher-kva.example"));
        assertTrue(idn.mayUse("t", "BÜCHER.example"));
    }

    @Test
    void aDomainBelongsToOneTenant() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SendingDomains(
                Map.of("a", Set.of("x.example"), "b", Set.of("x.example")), Map.of(), SendingDomains.Mode.REFUSE, Set.of()));
        assertTrue(e.getMessage().contains("x.example"), e.getMessage());
    }
}
