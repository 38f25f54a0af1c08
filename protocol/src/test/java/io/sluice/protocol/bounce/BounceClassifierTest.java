package io.sluice.protocol.bounce;

import io.sluice.protocol.smtp.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BounceClassifierTest {

    private final BounceClassifier classifier = BounceClassifier.bundled();

    private Classification classify(String line) {
        return classifier.classify(SmtpReply.parse(line));
    }

    @Test
    void unknownMailboxIsAHardBadMailbox() {
        Classification c = classify("550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table");
        assertEquals(BounceCategory.BAD_MAILBOX, c.category());
        assertEquals("userunknown", c.reason());
        assertTrue(c.hard());
        assertEquals("5.1.1", c.status());
        assertEquals(550, c.replyCode());
    }

    @Test
    void blockListedIpIsNeverHardEvenWith550() {
        Classification c = classify("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org");
        assertEquals(BounceCategory.SPAM_RELATED, c.category());
        assertEquals("blocked", c.reason());
        assertFalse(c.hard());
    }

    @Test
    void temporaryRecipientFailureIsNotHard() {
        Classification c = classify("450 4.1.1 <x@example.com>: Recipient address rejected: user unknown, try later");
        assertEquals(BounceCategory.BAD_MAILBOX, c.category());
        assertFalse(c.hard(), "only permanent (5yz) recipient failures suppress");
    }

    @Test
    void providerRepliesLandInTheirCategories() {
        assertEquals("mailboxfull", classify("552 5.2.2 The email account that you tried to reach is over quota.").reason());
        assertEquals(BounceCategory.QUOTA_ISSUES, classify("452 4.2.2 Mailbox full").category());
        assertEquals("authfailure", classify("550 5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass).").reason());
        assertEquals("requireptr", classify("550 5.7.25 The IP address sending this message does not have a PTR record setup").reason());
        assertEquals("norelaying", classify("554 5.7.1 <x@example.org>: Relay access denied").reason());
        assertEquals("spamdetected", classify("550 5.7.1 Message rejected as spam by Content Filtering.").reason());
        assertEquals("hostunknown", classify("550 5.1.2 Host unknown (Name server: example.invalid: host not found)").reason());
        assertEquals("rejected", classify("553 5.1.8 <bounce@sender.example>: Sender address rejected: Domain not found").reason());
        assertEquals("toomanyconn", classify("421 4.7.0 Too many concurrent SMTP connections from this IP address; please try again later.").reason());
        assertEquals("virusdetected", classify("554 5.7.0 Message contains a virus (Eicar-Test-Signature)").reason());
        assertEquals("expired", classifier.classify(0, "4.4.7", "delivery time expired").reason());
    }

    @Test
    void statusIsInferredWhenTheReplyHasNone() {
        Classification c = classify("550 No such user here");
        assertEquals("userunknown", c.reason());
        assertEquals("5.1.1", c.status());
        Classification full = classify("452 mailbox full");
        assertEquals("4.2.2", full.status());
    }

    @Test
    void statusInsideTheTextIsUsed() {
        Classification c = classifier.classify(550, null, "550-5.1.1 The email account that you tried to reach does not exist.");
        assertEquals("5.1.1", c.status());
        assertEquals("userunknown", c.reason());
    }

    @Test
    void onlyRecipientCategoriesAreHard() {
        EnumSet<BounceCategory> hard = EnumSet.noneOf(BounceCategory.class);
        for (BounceCategory c : BounceCategory.values()) {
            if (c.hard()) {
                hard.add(c);
            }
        }
        assertEquals(EnumSet.of(BounceCategory.BAD_MAILBOX, BounceCategory.BAD_DOMAIN, BounceCategory.INACTIVE_MAILBOX), hard);
        assertEquals("no-answer-from-host", BounceCategory.NO_ANSWER_FROM_HOST.label());
    }

    @Test
    void everyReasonMapsToASisimaiReasonName() {
        List<String> sisimai = List.of("authfailure", "badreputation", "blocked", "contenterror", "delivered", "exceedlimit",
                "expired", "failedstarttls", "feedback", "filtered", "hasmoved", "hostunknown", "mailboxfull", "mailererror",
                "mesgtoobig", "networkerror", "norelaying", "notaccept", "notcompliantrfc", "onhold", "policyviolation",
                "rejected", "requireptr", "securityerror", "spamdetected", "speeding", "suppressed", "suspend", "syntaxerror",
                "systemerror", "systemfull", "toomanyconn", "undefined", "userunknown", "vacation", "virusdetected");
        for (BounceReason r : BounceReason.values()) {
            assertTrue(sisimai.contains(r.sisimai()), r + " -> " + r.sisimai());
        }
    }

    @Test
    void userRulesWinOverBundledOnes(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("mine.tsv");
        Files.writeString(rules, "# our big customer's MX says this when the IP is throttled\n"
                + "speeding\t*\t550\tuser unknown - slow down\n");
        BounceClassifier mine = BounceClassifier.withUserRules(rules);
        assertEquals("speeding", mine.classify(SmtpReply.parse("550 user unknown - slow down")).reason());
        assertEquals("userunknown", mine.classify(SmtpReply.parse("550 user unknown")).reason());
        BounceRule why = mine.explain(550, null, "user unknown - slow down");
        assertTrue(why.source().endsWith("mine.tsv:2"), why.source());
    }

    @Test
    void badRulesAreReportedWithFileAndLine(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("bad.tsv");
        Files.writeString(rules, "user-unknown\t*\t*\tno such user\nno-such-reason\t*\t*\tx\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BounceClassifier.withUserRules(rules));
        assertTrue(e.getMessage().contains("bad.tsv:2") && e.getMessage().contains("no-such-reason"), e.getMessage());
        Files.writeString(rules, "user-unknown\t5.1\t*\tx\n");
        assertThrows(IllegalArgumentException.class, () -> BounceClassifier.withUserRules(rules));
        Files.writeString(rules, "user-unknown\t*\t*\t/(unclosed/\n");
        assertThrows(IllegalArgumentException.class, () -> BounceClassifier.withUserRules(rules));
    }

    @Test
    void regexAndPatternsMatchAsDocumented() {
        BounceClassifier c = BounceClassifier.fromRules(BounceRules.parse(
                "mailbox-full\t*.2.2\t*\t*\n"
                        + "block-listed\t*\t5xx\t/\\bblack ?list(ed)?\\b/\n"
                        + "user-unknown\t*\t55x\tno such   USER\n", "test"));
        assertEquals("mailboxfull", c.classify(452, "4.2.2", "whatever").reason());
        assertEquals("blocked", c.classify(554, null, "You are BLACKLISTED").reason());
        assertEquals("userunknown", c.classify(550, null, "No such\n user").reason(), "white space runs fold to one space");
        assertEquals("undefined", c.classify(599, null, "No such user").reason(), "55x does not match 599");
        assertNull(c.explain(599, null, "no such user"));
    }
}
