package io.sluice.daemon.egress.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SiteAndDestinationTest {

    @Test
    void domainsHostedAlikeShareOneSiteWhateverTheOrderOfTheirMxRecords() {
        Site a = Site.of(List.of("mx2.host.test", "mx1.host.test", "mx1.host.test"));
        Site b = Site.of(List.of("mx1.host.test", "mx2.host.test"));
        assertEquals(a, b);
        assertEquals("mx1.host.test,mx2.host.test", a.name());
        assertEquals(a, Site.parse(a.name()), "the name an operator writes in a hold reads back");
        assertThrows(IllegalArgumentException.class, () -> Site.of(List.of()));
        Site one = Site.of(List.of("mx.one.test", "mx.one.test"));
        assertEquals("mx.one.test", one.name());
        assertEquals(one, Site.parse(one.name()));
    }

    @Test
    void aDestinationIsTheDomainOrTheSmarthost() {
        assertEquals("example.com", Destination.domain("example.com").key());
        assertTrue(Destination.SMARTHOST.isSmarthost());
        assertEquals("[smarthost]", Destination.SMARTHOST.toString(), "the event field keeps its old spelling");
        assertNotEquals(Destination.SMARTHOST, Destination.domain("smarthost"));
        assertThrows(IllegalArgumentException.class, () -> Destination.domain(" "));
    }
}
