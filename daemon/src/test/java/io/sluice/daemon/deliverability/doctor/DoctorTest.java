package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.config.DnsblZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.daemon.deliverability.doctor.SendingSetup.SigningKey;
import io.sluice.daemon.deliverability.doctor.SendingSetup.SourceAddress;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.protocol.dns.DnsjavaRecordLookup;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import java.net.InetAddress;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doctor against real DNS (dnsmasq on loopback) serving good and broken records: each
 * check's verdict, one by one.
 */
class DoctorTest {
    private static Dnsmasq dns;
    private static DoctorReport report;
    private static DkimKey rsa2048;

    private static final SourceAddress GOOD = source("good", "127.0.0.10", "mta1.good.test");
    private static final SourceAddress WRONG_EHLO = source("wrong-ehlo", "127.0.0.11", "other.good.test");
    private static final SourceAddress NOT_CONFIRMED = source("not-confirmed", "127.0.0.12", "mta3.good.test");
    private static final SourceAddress NO_PTR = source("no-ptr", "127.0.0.13", "mta4.good.test");
    private static final SourceAddress ELSEWHERE = source("elsewhere", "192.0.2.1", "mta5.good.test");

    @BeforeAll
    static void examine() throws Exception {
        rsa2048 = rsa(2048);
        DkimKey rsa1024 = rsa(1024);
        DkimKey other = rsa(2048);
        DkimKey ed = DkimKey.fromPrivateKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
        int dead = FreePorts.tcpAndUdp();
        dns = Dnsmasq.builder().zone("in-addr.arpa")
                .option("--server=/2.0.192.in-addr.arpa/127.0.0.1#" + dead)
                .option("--server=/down.test/127.0.0.1#" + dead)
                // SPF: good.test allows 127.0.0.10-11 only
                .txt("good.test", "v=spf1 ip4:127.0.0.10 ip4:127.0.0.11 -all")
                .txt("permerror.test", "v=spf1 ip4:127.0.0.300 -all")
                // DKIM
                .txt("s2048._domainkey.good.test", DnsRecord.of(rsa2048).txtValue())
                .txt("s1024._domainkey.good.test", DnsRecord.of(rsa1024).txtValue())
                .txt("s1._domainkey.wrong.test", DnsRecord.of(other).txtValue())
                .txt("ed._domainkey.ed.test", DnsRecord.of(ed).txtValue())
                // DMARC
                .txt("_dmarc.good.test", "v=DMARC1; p=reject; rua=mailto:dmarc@good.test")
                .txt("_dmarc.ed.test", "v=DMARC1; p=none")
                .txt("_dmarc.wrong.test", "v=DMARC1; p=maybe")
                .txt("_dmarc.sub.good.test", "v=DMARC1; p=reject; psd=n; rua=mailto:dmarc@good.test")
                // MTA-STS and TLS-RPT
                .txt("_mta-sts.good.test", "v=STSv1; id=20250101")
                .txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=mailto:tls@good.test")
                .txt("_mta-sts.ed.test", "v=STSv1; id=not valid!")
                // reverse DNS
                .host("mta1.good.test", "127.0.0.10")
                .host("mta2.good.test", "127.0.0.11")
                .option("--ptr-record=12.0.0.127.in-addr.arpa,mta3.good.test")
                .host("mta3.good.test", "127.0.0.99")
                // bounce MX
                .host("mx.good.test", "127.0.0.20")
                .mx("bounce.good.test", "mx.good.test", 10)
                .mx("bounce.elsewhere.test", "mx.elsewhere.test", 10)
                .host("mx.elsewhere.test", "127.0.0.30")
                // DNSBL: bl.test is sound; nolist.test does not list its test entry
                .host("2.0.0.127.bl.test", "127.0.0.2")
                .host("12.0.0.127.bl.test", "127.0.0.3")
                .host("11.0.0.127.bl.test", "127.255.255.254")
                .txt("nolist.test", "a zone without its test entry")
                .start();
        SendingSetup setup = new SendingSetup(
                List.of(new SigningKey("good.test", "s2048", true, false, rsa2048, "good.pem"),
                        new SigningKey("good.test", "s1024", true, false, rsa1024, "weak.pem"),
                        new SigningKey("wrong.test", "s1", true, false, rsa2048, "wrong.pem"),
                        new SigningKey("absent.test", "s1", true, false, rsa2048, "absent.pem"),
                        new SigningKey("ed.test", "ed", true, false, ed, "ed.pem")),
                true, // use-parent-domain: shop.sub.good.test is signed with good.test's keys
                Set.of("good.test", "wrong.test", "ed.test", "nodmarc.test", "shop.sub.good.test"),
                Set.of("good.test", "bounce.good.test", "permerror.test", "x.down.test"),
                Set.of("bounce.good.test", "bounce.elsewhere.test"),
                List.of(GOOD, WRONG_EHLO, NOT_CONFIRMED, NO_PTR, ELSEWHERE),
                Set.of("mx.good.test"),
                List.of(DnsblZone.parse("bl.test 127.0.0.2-127.0.0.11"), DnsblZone.parse("nolist.test 127.0.0.2")));
        Doctor doctor = new Doctor(new DnsjavaRecordLookup(List.of(dns.address()), Duration.ofSeconds(2)), Clock.systemUTC());
        report = doctor.examine(setup);
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void spfPassesForAuthorisedSourcesAndFailsForOthers() {
        assertVerdict("spf", "good.test good 127.0.0.10", Verdict.PASS);
        assertVerdict("spf", "good.test not-confirmed 127.0.0.12", Verdict.FAIL);
        assertTrue(find("spf", "good.test not-confirmed 127.0.0.12").fix().contains("ip4:127.0.0.12"));
        assertVerdict("spf", "bounce.good.test good 127.0.0.10", Verdict.FAIL);
        assertTrue(find("spf", "bounce.good.test good 127.0.0.10").detail().contains("no SPF record"));
        assertVerdict("spf", "permerror.test good 127.0.0.10", Verdict.FAIL);
        assertVerdict("spf", "x.down.test good 127.0.0.10", Verdict.UNKNOWN);
    }

    @Test
    void dkimComparesThePublishedKeyWithTheConfiguredOne() {
        assertVerdict("dkim", "s2048._domainkey.good.test", Verdict.PASS);
        assertVerdict("dkim", "s1024._domainkey.good.test", Verdict.WARN);
        assertVerdict("dkim", "s1._domainkey.wrong.test", Verdict.FAIL);
        assertTrue(find("dkim", "s1._domainkey.wrong.test").fix().contains(DnsRecord.of(rsa2048).publicKeyBase64()));
        assertVerdict("dkim", "s1._domainkey.absent.test", Verdict.FAIL);
        assertVerdict("dkim", "ed._domainkey.ed.test", Verdict.PASS);
    }

    @Test
    void dmarcRecordPolicyAndReports() {
        assertVerdict("dmarc", "good.test", Verdict.PASS);
        assertVerdict("dmarc-policy", "good.test", Verdict.PASS);
        assertVerdict("dmarc-rua", "good.test", Verdict.PASS);
        assertVerdict("dmarc", "ed.test", Verdict.PASS);
        assertVerdict("dmarc-policy", "ed.test", Verdict.WARN);
        assertVerdict("dmarc-rua", "ed.test", Verdict.WARN);
        assertVerdict("dmarc", "wrong.test", Verdict.FAIL);
        assertVerdict("dmarc", "nodmarc.test", Verdict.FAIL);
    }

    @Test
    void alignmentCountsOnlyRsaAndNotesTheTreeWalk() {
        assertVerdict("dkim-alignment", "good.test", Verdict.PASS);
        assertVerdict("spf-alignment", "good.test", Verdict.PASS);
        Finding ed = assertVerdict("dkim-alignment", "ed.test", Verdict.FAIL);
        assertTrue(ed.detail().contains("Ed25519"), ed.detail());
        assertVerdict("dkim-alignment", "nodmarc.test", Verdict.FAIL);
        assertVerdict("spf-alignment", "nodmarc.test", Verdict.WARN);
        // PSL: shop.sub.good.test belongs to good.test, so d=good.test aligns; DMARCbis's walk stops
        // at sub.good.test (psd=n), where it does not.
        Finding walk = assertVerdict("dkim-alignment", "shop.sub.good.test", Verdict.WARN);
        assertTrue(walk.detail().contains("tree walk decides differently"), walk.detail());
    }

    @Test
    void reverseDnsIsForwardConfirmedAndMatchesEhlo() {
        assertVerdict("fcrdns", "good 127.0.0.10", Verdict.PASS);
        assertVerdict("ehlo", "good 127.0.0.10", Verdict.PASS);
        assertVerdict("fcrdns", "wrong-ehlo 127.0.0.11", Verdict.PASS);
        assertVerdict("ehlo", "wrong-ehlo 127.0.0.11", Verdict.WARN);
        assertVerdict("fcrdns", "not-confirmed 127.0.0.12", Verdict.FAIL);
        assertVerdict("fcrdns", "no-ptr 127.0.0.13", Verdict.FAIL);
        assertVerdict("fcrdns", "elsewhere 192.0.2.1", Verdict.UNKNOWN);
    }

    @Test
    void sourceAddressMustBeOnThisHost() {
        assertVerdict("source-address", "good 127.0.0.10", Verdict.PASS);
        assertVerdict("source-address", "elsewhere 192.0.2.1", Verdict.FAIL);
    }

    @Test
    void bounceDomainMxMustBeSluice() {
        assertVerdict("bounce-mx", "bounce.good.test", Verdict.PASS);
        assertVerdict("bounce-mx", "bounce.elsewhere.test", Verdict.FAIL);
    }

    @Test
    void mtaStsAndTlsRpt() {
        assertVerdict("mta-sts", "good.test", Verdict.PASS);
        assertVerdict("tls-rpt", "good.test", Verdict.PASS);
        assertVerdict("mta-sts", "ed.test", Verdict.FAIL);
        assertVerdict("tls-rpt", "ed.test", Verdict.WARN);
        assertVerdict("mta-sts", "nodmarc.test", Verdict.WARN);
    }

    @Test
    void dnsblCountsOnlyDocumentedAnswersOfATestedZone() {
        assertVerdict("dnsbl", "good 127.0.0.10 bl.test", Verdict.PASS);
        assertVerdict("dnsbl", "not-confirmed 127.0.0.12 bl.test", Verdict.FAIL);
        assertVerdict("dnsbl", "wrong-ehlo 127.0.0.11 bl.test", Verdict.UNKNOWN);
        assertVerdict("dnsbl", "good 127.0.0.10 nolist.test", Verdict.UNKNOWN);
        assertVerdict("dnsbl", "not-confirmed 127.0.0.12 nolist.test", Verdict.UNKNOWN);
    }

    @Test
    void overallVerdictIsTheWorstAndGivesTheExitCode() {
        assertEquals(Verdict.FAIL, report.verdict());
        assertEquals(2, report.exitCode());
        assertTrue(report.text().contains("fail    spf"), report.text());
    }

    private static Finding assertVerdict(String check, String subject, Verdict expected) {
        Finding f = find(check, subject);
        assertEquals(expected, f.verdict(), f.line());
        return f;
    }

    private static Finding find(String check, String subject) {
        return report.findings().stream().filter(f -> f.check().equals(check) && f.subject().equals(subject))
                .findFirst().orElseThrow(() -> new AssertionError("no " + check + " finding for " + subject + " in\n"
                        + report.text()));
    }

    private static DkimKey rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return DkimKey.fromPrivateKey(g.generateKeyPair().getPrivate());
    }

    private static SourceAddress source(String name, String ip, String ehlo) {
        try {
            return new SourceAddress(name, InetAddress.getByName(ip), ehlo);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
