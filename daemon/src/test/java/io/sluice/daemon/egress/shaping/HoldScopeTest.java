package io.sluice.daemon.egress.shaping;

import io.sluice.daemon.egress.route.Site;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hold scopes are values inside the engine and keep their text form on the wire. */
class HoldScopeTest {

    @Test
    void everyTextFormReadsAndWritesBackTheSame() {
        for (String text : List.of("domain:example.com", "tenant:acme", "campaign:spring",
                "path:ip1>mx1.example.com,mx2.example.com", "source:ip1>gmail", "tenant:acme>yahoo",
                "campaign:spring>gmail")) {
            assertEquals(text, HoldScope.parse(text).toString());
        }
        assertEquals(new HoldScope.Path("ip1", Site.of(java.util.List.of("mx2.example.com", "mx1.example.com"))),
                HoldScope.parse("path:ip1>mx1.example.com,mx2.example.com"));
        assertEquals(new HoldScope.SourceProvider("ip1", "gmail"), HoldScope.parse("source:ip1>gmail"));
        assertEquals(new HoldScope.TenantProvider("acme", "yahoo"), HoldScope.parse("tenant:acme>yahoo"));
        assertEquals(new HoldScope.CampaignProvider("spring", "gmail"), HoldScope.parse("campaign:spring>gmail"));
        assertEquals(new HoldScope.Tenant("acme"), HoldScope.parse("tenant:acme"));
    }

    @Test
    void anythingElseIsRefusedNamingTheForms() {
        for (String bad : new String[] {"planet:mars", "domain:", "path:nosite", "tenant:a b", "tenant:a>", "campaign:a>b>c", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HoldScope.parse(bad));
            assertTrue(e.getMessage().startsWith("scope must be domain:D, tenant:T, campaign:C, path:SOURCE>SITE"),
                    e.getMessage());
        }
    }
}
