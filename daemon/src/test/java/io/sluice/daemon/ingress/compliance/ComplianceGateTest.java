package io.sluice.daemon.ingress.compliance;

import io.sluice.daemon.label.OrganisationalDomain;
import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.daemon.egress.signing.DkimSettings;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.ingress.TenantDomainCheck;
import io.sluice.daemon.label.SendingDomains;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.bounce.BounceCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComplianceGateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T05:00:00Z"), ZoneOffset.UTC);
    private static final String COMPLIANT = "From: News <news@shop.example>\r\nTo: r@dest.test\r\nSubject: sale\r\n"
            + "Date: Mon, 07 Dec 2026 05:00:00 +0000\r\nMessage-ID: <m1@shop.example>\r\n"
            + "List-Unsubscribe: <https://shop.example/u/1>, <mailto:u@shop.example>\r\n"
            + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            + "Feedback-ID: forged:other-tenant:x:sluice-test\r\n\r\nbody\r\n";

    @TempDir
    Path dir;

    private ComplianceGate gate(Map<String, String> dkimExtra, boolean unsubscribe, GateMode mode) throws Exception {
        Path key = dir.resolve("k.pem");
        if (!key.toFile().exists()) {
            KeyGenerator.writePem(KeyGenerator.ed25519(), key);
        }
        Map<String, String> dkim = new java.util.HashMap<>(Map.of(
                "domains.shop.example.selectors.s1.key-file", key.toString(),
                "domains.other.example.selectors.s1.key-file", key.toString(),
                "use-parent-domain", "true"));
        dkimExtra.forEach((k, v) -> dkim.put(k, v.replace("KEY", key.toString())));
        DkimSettings settings = DkimSettings.parse(dkim);
        SendingDomains domains = new SendingDomains(Map.of("shop", Set.of("shop.example", "shop-news.example"),
                "other", Set.of("other.example")), Map.of(), SendingDomains.Mode.REFUSE, MessageSigner.authorDomains(settings));
        FeedbackSettings.Policy policy = new FeedbackSettings.Policy(true, true, 5, Duration.ofDays(7), Duration.ofDays(30),
                EnumSet.noneOf(BounceCategory.class), null, unsubscribe);
        FeedbackSettings feedback = new FeedbackSettings(policy, Map.of(), "test-secret-0123456789", "X-Sluice-Trace",
                null, "https://mail.example.net", null);
        return new ComplianceGate(new GateSettings(mode, Map.of(), "sluice-test"), new MessageSigner(settings, domains),
                new TenantDomainCheck(domains, feedback), feedback,
                new SmtpSettings("127.0.0.1", 0, "mta.example.net", 1 << 20, 10, 10, Duration.ofMinutes(1)), CLOCK, null);
    }

    private static ComplianceGate.Verdict check(ComplianceGate gate, Map<String, String> attributes, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        return gate.check("bounce@shop.example", attributes, m, m.length);
    }

    private static List<String> rules(ComplianceGate.Verdict v) {
        return v.failures().stream().map(f -> f.rule().label()).toList();
    }

    private static String text(ComplianceGate.Verdict v) {
        return new String(v.message(), 0, v.length(), StandardCharsets.UTF_8);
    }

    @Test
    void transactionalMailIsNeverTouched() throws Exception {
        ComplianceGate gate = gate(Map.of(), false, GateMode.ENFORCE);
        byte[] bare = "From: x@elsewhere.test\r\n\r\nreset your password\r\n".getBytes(StandardCharsets.UTF_8);
        ComplianceGate.Verdict v = gate.check("a@b.test", Map.of("tenant", "shop", "campaign", "c1", "class", "transactional"),
                bare, bare.length);
        assertFalse(v.marketing());
        assertSame(bare, v.message());
        assertFalse(gate.check("a@b.test", Map.of("tenant", "shop"), bare, bare.length).marketing(), "no campaign, no class");
    }

    @Test
    void compliantMarketingMailPassesAndGetsSluicesFeedbackIdInsteadOfTheClients() throws Exception {
        ComplianceGate.Verdict v = check(gate(Map.of(), false, GateMode.ENFORCE),
                Map.of("tenant", "shop", "campaign", "spring"), COMPLIANT);
        assertEquals(List.of(), v.failures());
        assertFalse(v.refused());
        assertTrue(text(v).startsWith("Feedback-ID: spring:shop:marketing:sluice-test\r\nFrom: News"), text(v));
        assertFalse(text(v).contains("forged"), "one Feedback-ID, Sluice's");
    }

    @Test
    void enforceNamesEveryRuleAtFault() throws Exception {
        String bad = "From: news@other.example\r\nTo: r@dest.test\r\nList-Unsubscribe: <http://other.example/u>\r\n\r\nb\r\n";
        ComplianceGate.Verdict v = check(gate(Map.of(), false, GateMode.ENFORCE), Map.of("tenant", "shop", "class", "marketing"), bad);
        assertTrue(v.refused());
        assertEquals(List.of("list-unsubscribe", "list-unsubscribe-post", "from-domain", "dkim-alignment", "date", "message-id"),
                rules(v), v.explanation());
    }

    @Test
    void fixAddsDateMessageIdAndSluicesUnsubscribePair() throws Exception {
        String noHeaders = "From: news@shop.example\r\nTo: r@dest.test\r\nSubject: s\r\n\r\nb\r\n";
        ComplianceGate.Verdict v = check(gate(Map.of(), false, GateMode.FIX), Map.of("tenant", "shop", "campaign", "c"), noHeaders);
        assertFalse(v.refused(), v.explanation());
        assertEquals(List.of(GateRule.LIST_UNSUBSCRIBE, GateRule.DATE, GateRule.MESSAGE_ID), v.fixed());
        assertEquals(Map.of("list-unsubscribe", "on"), v.attributes());
        assertTrue(text(v).contains("Date: Mon, 7 Dec 2026 05:00:00 GMT\r\n"), text(v));
        assertTrue(text(v).matches("(?s).*Message-ID: <[0-9a-z]+\\.[0-9a-z]+@mta\\.example\\.net>\r\n.*"), text(v));
        assertEquals("fixed", v.action());
    }

    @Test
    void fixStillRefusesWhatItCannotRepair() throws Exception {
        String foreign = "From: news@other.example\r\nDate: Mon, 07 Dec 2026 05:00:00 +0000\r\nMessage-ID: <x@y>\r\n\r\nb\r\n";
        ComplianceGate.Verdict v = check(gate(Map.of(), true, GateMode.FIX), Map.of("tenant", "shop", "campaign", "c"), foreign);
        assertTrue(v.refused());
        assertEquals(List.of("from-domain", "dkim-alignment"), rules(v));
    }

    @Test
    void reportAcceptsAndSaysWhatIsWrong() throws Exception {
        String noUnsub = "From: news@shop.example\r\nDate: Mon, 07 Dec 2026 05:00:00 +0000\r\nMessage-ID: <x@y>\r\n\r\nb\r\n";
        ComplianceGate.Verdict v = check(gate(Map.of(), false, GateMode.REPORT), Map.of("tenant", "shop", "campaign", "c"), noUnsub);
        assertFalse(v.refused());
        assertEquals("reported", v.action());
        assertEquals(List.of("list-unsubscribe"), rules(v));
        assertTrue(text(v).startsWith("Feedback-ID: c:shop:marketing:sluice-test\r\n"));
    }

    @Test
    void sluicesOwnUnsubscribePairSatisfiesTheRuleWhenEnabled() throws Exception {
        String noUnsub = "From: news@mail.shop.example\r\nDate: Mon, 07 Dec 2026 05:00:00 +0000\r\nMessage-ID: <x@y>\r\n\r\nb\r\n";
        ComplianceGate.Verdict v = check(gate(Map.of(), true, GateMode.ENFORCE), Map.of("tenant", "shop", "campaign", "c"), noUnsub);
        assertEquals(List.of(), v.failures(), v.explanation());
    }

    @Test
    void aConfiguredHeaderListMustOverSignTheUnsubscribeFields() throws Exception {
        ComplianceGate gate = gate(Map.of("domains.shop.example.selectors.s1.headers", "from,from,subject,list-unsubscribe"),
                false, GateMode.ENFORCE);
        ComplianceGate.Verdict v = check(gate, Map.of("tenant", "shop", "campaign", "c"), COMPLIANT);
        assertEquals(List.of("dkim-coverage", "dkim-coverage"), rules(v));
        assertTrue(v.explanation().contains("d=shop.example does not over-sign list-unsubscribe (list it 2 times"), v.explanation());
    }

    @Test
    void alignmentIsByOrganisationalDomainFromThePublicSuffixList() {
        assertEquals("example.co.uk", OrganisationalDomain.of("mail.news.example.co.uk"));
        assertEquals("example.com", OrganisationalDomain.of("a.b.example.com"));
        assertEquals("shop.test", OrganisationalDomain.of("news.shop.test"), "no listed suffix: the default rule *");
        assertTrue(OrganisationalDomain.aligned("news.example.co.uk", "example.co.uk"));
        assertFalse(OrganisationalDomain.aligned("example.co.uk", "other.co.uk"));
    }
}
