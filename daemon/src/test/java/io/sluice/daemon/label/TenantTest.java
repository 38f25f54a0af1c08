package io.sluice.daemon.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TenantTest {

    @Test
    void mailThatNamesNoTenantBelongsToTheDefaultOne() {
        assertSame(Tenant.DEFAULT, Tenant.of(null));
        assertSame(Tenant.DEFAULT, Tenant.of("  "));
        assertEquals("default", Tenant.DEFAULT.name());
    }

    @Test
    void namesAreLettersDigitsDotsDashesAndUnderscoresUpTo64() {
        assertEquals("shop-1.eu_x", Tenant.of("shop-1.eu_x").name());
        assertEquals(64, Tenant.of("a".repeat(64)).name().length());
        for (String bad : new String[] {"a".repeat(65), "*", "a b", "ä", "x/y"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tenant.of(bad), bad);
            assertEquals(true, e.getMessage().startsWith("bad tenant name: "), e.getMessage());
        }
    }
}
