package io.sluice.daemon.deliverability.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DnsblZone;
import io.sluice.daemon.config.DoctorSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The doctor's parsers and rules that need no DNS. */
class RecordsTest {

    @Test
    void organisationalDomainFollowsThePublicSuffixList() {
        assertEquals("example.co.uk", OrganisationalDomains.byPublicSuffixList("mail.news.example.co.uk"));
        assertEquals("example.com", OrganisationalDomains.byPublicSuffixList("bounces.example.com"));
        // a private PSL entry: each github.io user is its own organisation
        assertEquals("alice.github.io", OrganisationalDomains.byPublicSuffixList("www.alice.github.io"));
        // under no listed suffix the default rule "*" applies
        assertEquals("example.test", OrganisationalDomains.byPublicSuffixList("a.b.example.test"));
    }

    @Test
    void dmarcRecordTagsAreParsedAndBadOnesNamed() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=quarantine; sp=reject; adkim=s; rua=mailto:a@example.com,mailto:b@example.com; psd=n");
        assertEquals("quarantine", r.policy());
        assertEquals(Optional.of("reject"), r.subdomainPolicy());
        assertTrue(r.strictDkim());
        assertFalse(r.strictSpf());
        assertEquals(2, r.aggregate().size());
        assertEquals(Optional.of(false), r.psd());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DmarcRecord.parse("v=DMARC1; rua=mailto:a@b.c"))
                .getMessage().contains("p="));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DmarcRecord.parse("v=DMARC1; p=none; pct=200"))
                .getMessage().contains("pct"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DmarcRecord.parse("v=DMARC1; p=none; rua=https://x"))
                .getMessage().contains("rua"));
        assertFalse(DmarcRecord.isDmarc("v=DMARC10; p=none"));
    }

    @Test
    void dnsblZoneCountsOnlyItsListedAnswers() throws Exception {
        DnsblZone zone = DnsblZone.parse("zen.spamhaus.org 127.0.0.2-127.0.0.11");
        assertTrue(zone.isListedAnswer(InetAddress.getByName("127.0.0.4")));
        assertFalse(zone.isListedAnswer(InetAddress.getByName("127.255.255.254")));
        assertFalse(zone.isListedAnswer(InetAddress.getByName("127.0.0.12")));
        assertThrows(IllegalArgumentException.class, () -> DnsblZone.parse("zen.spamhaus.org"));
        assertThrows(IllegalArgumentException.class, () -> DnsblZone.parse("zen.spamhaus.org 127.0.0.9-127.0.0.2"));
        ConfigException bad = assertThrows(ConfigException.class, () -> new DoctorSettings(List.of(), List.of(), List.of(),
                List.of("bl.example.org 127.0.0.2", "not a zone"), Duration.ZERO));
        assertTrue(bad.getMessage().contains("sluice.doctor.dnsbl[1]"), bad.getMessage());
    }

    @Test
    void dnsblQueryNamesReverseOctetsAndNibbles() throws Exception {
        assertEquals("4.3.2.192", DnsblCheck.reversed(InetAddress.getByName("192.2.3.4")));
        assertEquals("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2",
                DnsblCheck.reversed(InetAddress.getByName("2001:db8::1")));
    }

    @Test
    void narrowingToADomainKeepsItsBounceAndEnvelopeDomains() {
        SendingSetup all = new SendingSetup(List.of(), false, Set.of("example.com", "other.org"),
                Set.of("bounces.example.com", "other.org"), Set.of("bounces.example.com"), List.of(), Set.of(), List.of());
        SendingSetup one = all.only(Set.of("Example.com"));
        assertEquals(Set.of("example.com"), one.fromDomains());
        assertEquals(Set.of("bounces.example.com"), one.envelopeDomains());
        assertEquals(Set.of("bounces.example.com"), one.bounceDomains());
        SendingSetup unknown = all.only(Set.of("new.net"));
        assertEquals(Set.of("new.net"), unknown.envelopeDomains());
        assertEquals(Set.of(), unknown.bounceDomains());
    }
}
