package io.sluice.protocol.spf;

import static io.sluice.protocol.spf.FakeZone.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpfEvaluatorTest {

    private static SpfVerdict check(FakeZone zone, String ip, String sender) {
        return new SpfEvaluator(zone).checkSender(address(ip), sender, "mta.out.test");
    }

    @Test
    void passNamesTheMatchingTermAndCountsLookups() {
        FakeZone zone = new FakeZone()
                .txt("example.test", "v=spf1 include:_spf.example.test -all")
                .txt("_spf.example.test", "v=spf1 ip4:192.0.2.0/24 ~all");
        SpfVerdict v = check(zone, "192.0.2.9", "a@example.test");
        assertEquals(SpfResult.PASS, v.result());
        assertTrue(v.reason().contains("ip4:192.0.2.0/24"), v.reason());
        assertEquals(1, v.lookups());
    }

    @Test
    void upperCaseMacroIsUrlEscapedAndReverseWithDelimiterSplits() {
        FakeZone zone = new FakeZone()
                .txt("example.test", "v=spf1 exists:%{L}.%{l1r+}.x.example.test -all")
                .host("first%2Bsecond.first.x.example.test", "127.0.0.2");
        assertEquals(SpfResult.PASS, check(zone, "192.0.2.9", "first+second@example.test").result());
    }

    @Test
    void digitTransformerKeepsTheRightmostParts() throws Exception {
        assertEquals("c.d", MacroString.parse("%{d2}").expand(l -> "a.b.c.d"));
        assertEquals("b.a", MacroString.parse("%{d2r}").expand(l -> "a.b.c.d"));
        assertEquals("a.b.c.d", MacroString.parse("%{d9}").expand(l -> "a.b.c.d"));
        assertEquals("x y%20%", MacroString.parse("x%_y%-%%").expand(l -> ""));
        assertThrows(SpfSyntaxException.class, () -> MacroString.parse("%{d0}"));
        assertThrows(SpfSyntaxException.class, () -> MacroString.parse("%{c}"));
        assertThrows(SpfSyntaxException.class, () -> MacroString.parse("%x"));
    }

    @Test
    void pMacroIsTheValidatedNameOrUnknown() {
        FakeZone zone = new FakeZone()
                .txt("example.test", "v=spf1 exists:%{p}.p.example.test -all")
                .ptr("192.0.2.9", "mta.example.test")
                .host("mta.example.test", "192.0.2.9")
                .host("mta.example.test.p.example.test", "127.0.0.2")
                .host("unknown.p.example.test", "127.0.0.2");
        SpfVerdict validated = check(zone, "192.0.2.9", "a@example.test");
        assertEquals(SpfResult.PASS, validated.result());
        assertTrue(validated.reason().contains("mta.example.test.p.example.test"), validated.reason());
        SpfVerdict unknown = check(zone, "192.0.2.10", "a@example.test");
        assertTrue(unknown.reason().contains("unknown.p.example.test"), unknown.reason());
    }

    @Test
    void aDnsFailureInPtrIsNoMatchButInATemperror() {
        FakeZone ptrFails = new FakeZone().txt("example.test", "v=spf1 ptr ?all");
        ptrFails.failing("192.0.2.9");
        assertEquals(SpfResult.NEUTRAL, check(ptrFails, "192.0.2.9", "a@example.test").result());
        FakeZone aFails = new FakeZone().txt("example.test", "v=spf1 a:down.test -all").failing("down.test");
        assertEquals(SpfResult.TEMPERROR, check(aFails, "192.0.2.9", "a@example.test").result());
        FakeZone txtFails = new FakeZone().failing("example.test");
        assertEquals(SpfResult.TEMPERROR, check(txtFails, "192.0.2.9", "a@example.test").result());
    }

    @Test
    void elevenMxHostsAreAPermerror() {
        FakeZone zone = new FakeZone().txt("example.test", "v=spf1 mx -all");
        String[] hosts = new String[11];
        for (int i = 0; i < 11; i++) {
            hosts[i] = "mx" + i + ".example.test";
            zone.host(hosts[i], "198.51.100." + i);
        }
        zone.mx("example.test", hosts);
        assertEquals(SpfResult.PERMERROR, check(zone, "192.0.2.9", "a@example.test").result());
    }

    @Test
    void theEleventhLookupIsAPermerrorEvenAcrossRedirect() {
        FakeZone zone = new FakeZone();
        StringBuilder first = new StringBuilder("v=spf1");
        for (int i = 0; i < 9; i++) {
            first.append(" a:h").append(i).append(".example.test");
            zone.host("h" + i + ".example.test", "198.51.100." + i);
        }
        zone.txt("example.test", first + " redirect=other.test");
        zone.txt("other.test", "v=spf1 a:h0.example.test ip4:192.0.2.9 -all");
        // 9 a terms + redirect = 10 lookups; the a term in other.test is the 11th.
        SpfVerdict v = check(zone, "192.0.2.9", "a@example.test");
        assertEquals(SpfResult.PERMERROR, v.result(), v.reason());
        assertTrue(v.reason().contains("more than 10"), v.reason());
    }

    @Test
    void malformedExpIsAPermerrorButAWellFormedOneIsNotFetched() {
        FakeZone bad = new FakeZone().txt("example.test", "v=spf1 -all exp=%{");
        assertEquals(SpfResult.PERMERROR, check(bad, "192.0.2.9", "a@example.test").result());
        FakeZone good = new FakeZone().txt("example.test", "v=spf1 -all exp=explain.example.test");
        assertEquals(SpfResult.FAIL, check(good, "192.0.2.9", "a@example.test").result());
        assertEquals(1, good.asked.size(), good.asked.toString());
    }

    @Test
    void syntaxErrorAfterAMatchStillMakesThePermerror() {
        FakeZone zone = new FakeZone().txt("example.test", "v=spf1 +all ip4:1.2.3");
        assertEquals(SpfResult.PERMERROR, check(zone, "192.0.2.9", "a@example.test").result());
    }

    @Test
    void dualCidrAppliesPerAddressFamily() {
        FakeZone zone = new FakeZone().txt("example.test", "v=spf1 a:h.example.test/24//64 -all")
                .host("h.example.test", "192.0.2.1", "2001:db8:1:2::1");
        assertEquals(SpfResult.PASS, check(zone, "192.0.2.200", "a@example.test").result());
        assertEquals(SpfResult.PASS, check(zone, "2001:db8:1:2:ffff::1", "a@example.test").result());
        assertEquals(SpfResult.FAIL, check(zone, "2001:db8:1:3::1", "a@example.test").result());
    }

    @Test
    void ip4NeverMatchesAnIpv6Client() {
        FakeZone zone = new FakeZone().txt("example.test", "v=spf1 ip4:0.0.0.0/0 -all");
        assertEquals(SpfResult.FAIL, check(zone, "2001:db8::1", "a@example.test").result());
    }

    @Test
    void malformedDomainHasNoRecord() {
        assertEquals(SpfResult.NONE, check(new FakeZone(), "192.0.2.9", "a@no..dots").result());
        assertEquals(SpfResult.NONE, check(new FakeZone(), "192.0.2.9", "a@single").result());
    }
}
