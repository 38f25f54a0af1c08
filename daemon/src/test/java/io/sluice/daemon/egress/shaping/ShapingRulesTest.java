package io.sluice.daemon.egress.shaping;

import io.sluice.daemon.egress.route.Site;

import io.sluice.daemon.TestClock;
import io.sluice.daemon.config.ConfigException;
import io.sluice.protocol.smtp.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapingRulesTest {
    static final ProviderRule BASE = new ProviderRule("default", List.of(), List.of(), 8, 1000, 1000,
            Rate.UNLIMITED, Rate.UNLIMITED, io.sluice.protocol.client.TlsMode.OPPORTUNISTIC);

    @Test
    void shippedRulesRollUpProvidersByMxSuffix() {
        ShapingRules rules = ShapingRules.load(BASE, null).validated();
        assertEquals("gmail", rules.match("gmail.com", List.of("gmail-smtp-in.l.google.com",
                "alt1.gmail-smtp-in.l.google.com")).name());
        assertEquals("gmail", rules.match("workspace-customer.example", List.of("aspmx.l.google.com")).name());
        assertEquals("microsoft", rules.match("tenant.example",
                List.of("tenant-example.mail.protection.outlook.com")).name());
        assertEquals("yahoo", rules.match("yahoo.com", List.of("mta5.am0.yahoodns.net")).name());
        // every MX must match: a domain half on Google is not Google
        assertEquals("default", rules.match("mixed.example", List.of("aspmx.l.google.com", "mx.mixed.example")).name());
        assertEquals(8, rules.match("other.example", List.of("mx.other.example")).maxConnectionsPerPath());
    }

    @Test
    void operatorRulesComeFirstAndNameTheKeyWhenWrong(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, """
                providers:
                  - name: gmail
                    mx-suffixes: [.gmail.test]
                    domains: [googlemail.test]
                    message-rate: 10/s
                  - name: default
                    max-connections-per-path: 3
                """);
        ShapingRules rules = ShapingRules.load(BASE, file).validated();
        ProviderRule gmail = rules.match("googlemail.test", List.of("whatever.test"));
        assertEquals("gmail", gmail.name());
        assertEquals("10/s", gmail.messageRate().toString());
        assertEquals(3, rules.fallback().maxConnectionsPerPath());
        Files.writeString(file, "providers:\n  - name: x\n    message-rate: fast\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ShapingRules.load(BASE, file));
        assertTrue(e.getMessage().contains("providers[0].message-rate"), e.getMessage());
    }

    @Test
    void tlsIsReadAsAModeAndAnUnknownOneNamesTheRuleAndTheKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("rules.yml");
        Files.writeString(file, "providers:\n  - name: strict\n    domains: [s.test]\n    tls: Required\n");
        assertEquals(io.sluice.protocol.client.TlsMode.REQUIRED,
                ShapingRules.load(BASE, file).match("s.test", List.of()).tls());
        Files.writeString(file, "providers:\n  - name: strict\n    tls: always\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ShapingRules.load(BASE, file));
        assertTrue(e.getMessage().contains("providers[0].tls"), e.getMessage());
        assertTrue(e.getMessage().contains("'strict'"), e.getMessage());
    }

    @Test
    void yahooTss04SuspendsThePathAtOnce() {
        ShapingRules rules = ShapingRules.load(BASE, null);
        Backoff backoff = new Backoff();
        Backoff.Triggered t = backoff.onReply(rules, SmtpReply.of(421, "4.7.0",
                "[TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints"),
                "yahoo", "ip1", Site.parse("mx.yahoo"), "default", Instant.EPOCH);
        assertNotNull(t);
        assertEquals(ReplyRule.Action.SUSPEND_PATH, t.rule().action());
        assertEquals(new HoldScope.Path("ip1", Site.parse("mx.yahoo")), t.scope());
        assertEquals("path:ip1>mx.yahoo", t.scope().toString());
    }

    @Test
    void microsoftRepliesThrottleOrSuspendTheSourceForMicrosoft() {
        ShapingRules rules = ShapingRules.load(BASE, null);
        Backoff backoff = new Backoff();
        Backoff.Triggered slow = backoff.onReply(rules, SmtpReply.of(451, "4.7.650",
                "The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation."),
                "microsoft", "ip1", Site.parse("site"), "default", Instant.EPOCH);
        assertEquals(ReplyRule.Action.THROTTLE, slow.rule().action());
        Backoff.Triggered blocked = backoff.onReply(rules, SmtpReply.of(550, "5.7.1",
                "Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)"),
                "microsoft", "ip1", Site.parse("site"), "default", Instant.EPOCH);
        assertEquals(new HoldScope.SourceProvider("ip1", "microsoft"), blocked.scope());
        assertNull(backoff.onReply(rules, SmtpReply.of(550, "5.1.1", "no such user"), "microsoft", "ip1",
                Site.parse("site"), "default", Instant.EPOCH));
    }

    @Test
    void aCountedRuleTriggersOnlyAfterNMatchesWithinItsPeriod() {
        ShapingRules rules = ShapingRules.load(BASE, null);
        Backoff backoff = new Backoff();
        TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
        SmtpReply reply = SmtpReply.of(421, "4.7.0", "Try again later, closing connection.");
        assertNull(backoff.onReply(rules, reply, "gmail", "ip1", Site.parse("g"), "t", clock.instant()));
        clock.advance(Duration.ofMinutes(4));
        assertNull(backoff.onReply(rules, reply, "gmail", "ip1", Site.parse("g"), "t", clock.instant()));
        clock.advance(Duration.ofMinutes(4)); // the first match has left the 5-minute period
        assertNull(backoff.onReply(rules, reply, "gmail", "ip1", Site.parse("g"), "t", clock.instant()));
        clock.advance(Duration.ofSeconds(30)); // three matches within five minutes: 4m, 8m, 8m30s
        Backoff.Triggered t = backoff.onReply(rules, reply, "gmail", "ip1", Site.parse("g"), "t", clock.instant());
        assertNotNull(t);
        assertEquals(ReplyRule.Action.SUSPEND_PATH, t.rule().action());
        // another provider's 421 4.7.0 is not Gmail's
        assertNull(backoff.onReply(rules, reply, "yahoo", "ip1", Site.parse("g"), "t", clock.instant()));
    }
}
