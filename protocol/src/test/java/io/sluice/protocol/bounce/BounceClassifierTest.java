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

    @Test
    void providerRulesDecideForTheirHostsOnly() {
        BounceClassifier c = BounceClassifier.fromRules(BounceRules.parse("[provider]\n"
                + "suspend\t5.2.1\t*\t*\trhost=mail.example.net\thttps://postmaster.example.net/smtp-codes\n"
                + "[status]\nfiltered\t5.2.1\t*\t*\n", "test"));
        Classification there = c.classify(new FailedReply(550, "5.2.1", "disabled", SmtpCommand.RCPT, "mx1.mail.example.net", false));
        assertEquals("suspend", there.reason());
        assertEquals(Evidence.REMOTE_HOST, there.evidence());
        assertEquals("filtered", c.classify(new FailedReply(550, "5.2.1", "disabled", SmtpCommand.RCPT, "mx.other.example", false)).reason());
    }

    @Test
    void formatRulesDecideForTheirFormatOnly() {
        String exchange = "The recipient name is not recognized MSEXCH:IMS:HOST CAT:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient";
        Classification there = classifier.classify(new FailedReply(0, null, exchange, SmtpCommand.UNKNOWN, null, false,
                BounceFormat.EXCHANGE2003));
        assertEquals("userunknown", there.reason());
        assertTrue(there.hard());
        // The same words from a bounce of another format name no command: Sisimai reads them as a filter
        assertEquals("filtered", classifier.classify(FailedReply.of(0, null, exchange)).reason());
        assertThrows(IllegalArgumentException.class, () -> BounceRules.parse("[first]\nuser-unknown\t*\t*\tx\tformat=imail\n", "t"),
                "format= belongs in [format]");
        assertThrows(IllegalArgumentException.class, () -> BounceRules.parse("[format]\nuser-unknown\t*\t*\tx\n", "t"),
                "a [format] rule names its format");
        assertThrows(IllegalArgumentException.class, () -> BounceRules.parse("[format]\nuser-unknown\t*\t*\tx\tformat=nosuchmta\n", "t"));
    }

    @Test
    void aFormatsRetryVerdictWaitsForTheReasonsBeforeIt() {
        BounceClassifier c = BounceClassifier.fromRules(BounceRules.parse("[format]\n"
                + "user-unknown\t*\t*\tsaid no\tformat=exim\thttps://example.org/exim\n"
                + "[first]\nmailbox-full\t*\t*\tmailbox is full\nuser-unknown\t5.1.1\t*\t*\nfiltered\t*\t*\tsaid no\n", "t"));
        // The format's "user unknown" stands where that reason stands: before the filter words...
        assertEquals("userunknown", c.classify(new FailedReply(550, null, "said no", SmtpCommand.UNKNOWN, null, false, "exim")).reason());
        // ...but after a full mailbox, whose words come first in Sisimai's order
        assertEquals("mailboxfull", c.classify(new FailedReply(550, null, "said no, mailbox is full", SmtpCommand.UNKNOWN, null, false,
                "exim")).reason());
        // without the format, the same words are the filter's
        assertEquals("filtered", c.classify(new FailedReply(550, null, "said no", SmtpCommand.UNKNOWN, null, false)).reason());
    }

    @Test
    void networkAndPolicyWordsComeBeforeTheWeakStatus() {
        assertEquals("networkerror", classifier.classify(FailedReply.of(0, "4.4.1", "connect to mx.example.org[192.0.2.2]:25: No route to host")).reason());
        assertEquals("networkerror", classifier.classify(FailedReply.of(0, "5.4.4",
                "Name service error for name=example.org type=MX: Malformed or unexpected name server reply")).reason());
        assertEquals("policyviolation", classifier.classify(FailedReply.of(554, "5.7.9", "Header error")).reason());
        assertEquals("virusdetected", classifier.classify(FailedReply.of(550, null, "Virus Detected; Content Rejected")).reason());
    }

    @Test
    void formatsAreRecognisedByTheirHeaderMarks() {
        assertEquals(BounceFormat.EXCHANGE2003, format("X-Mailer: Internet Mail Service (5.5.2657.72)\nSubject: Undeliverable: x\n"));
        assertEquals(BounceFormat.IMAIL, format("Subject: Undeliverable Mail\n"));
        assertEquals(BounceFormat.NOTES, format("Subject: Undeliverable message\n"));
        assertEquals(BounceFormat.GOOGLEGROUPS, format("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
                + "Subject: Delivery Status Notification (Failure)\nX-Failed-Recipients: a@example.org\nX-Google-Smtp-Source: AB\n"));
        assertNull(format("Subject: Undeliverable Mail: \"hello\"\n"));
        assertEquals(BounceFormat.QMAIL, format("Received: (qmail 1234 invoked for bounce); 29 Apr 2009 12:34:56 -0000\nSubject: x\n"));
        assertEquals(BounceFormat.EXIM, format("From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
                + "Subject: Mail delivery failed: returning message to sender\n"));
        assertEquals(BounceFormat.EXIM, format("Message-ID: <E1P1YNN-0003AD-Ga@mx.example.org>\nSubject: Mail delivery failed\n"));
        assertNull(format("From: Mail Delivery System <Mailer-Daemon@mx.example.org>\nSubject: Returned mail\n"),
                "one Exim mark alone is not enough");
    }

    private static String format(String headers) {
        return BounceFormat.of(io.sluice.protocol.mime.MimePart.parse((headers + "\nbody\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

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
    void userUnknownWordsMeanAMissingMailboxOnlyAtRcptTo() {
        SmtpReply reply = SmtpReply.parse("550 Unknown user nobody@example.com");
        Classification atRcpt = classifier.classify(reply, SmtpCommand.RCPT);
        assertEquals("userunknown", atRcpt.reason());
        assertTrue(atRcpt.hard());
        assertFalse(atRcpt.conclusive(), "words without a status are not enough to suppress on one bounce");
        Classification afterData = classifier.classify(reply, SmtpCommand.DATA);
        assertEquals("filtered", afterData.reason(), "after DATA the recipient had been accepted: a filter refused the mail");
        assertFalse(afterData.hard());
        Classification atMailFrom = classifier.classify(SmtpReply.parse("553 5.1.0 sender.example does not exist"), SmtpCommand.MAIL);
        assertFalse(atMailFrom.hard(), "at MAIL FROM no recipient has been named yet");
    }

    @Test
    void aStatusOfAnExistingMailboxMakesUserUnknownWordsAFilter() {
        Classification c = classifier.classify(550, "5.2.1", "<x@example.jp>... User Unknown");
        assertEquals("filtered", c.reason());
        assertFalse(c.hard());
    }

    @Test
    void hardVerdictsSayWhetherTheirEvidenceIsConclusive() {
        Classification both = classify("550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table");
        assertTrue(both.hard());
        assertEquals(Evidence.STATUS_AND_TEXT, both.evidence());
        assertTrue(both.conclusive());
        Classification statusOnly = classify("550 5.1.1 see https://postmaster.example.com/");
        assertTrue(statusOnly.hard());
        assertEquals(Evidence.STATUS, statusOnly.evidence());
        assertFalse(statusOnly.conclusive(), "a bare 5.1.1 is used for policy refusals too");
        Classification contradicted = classify("550 5.1.1 Go away");
        assertEquals("blocked", contradicted.reason(), "words of a block outweigh the 5.1.1");
        assertFalse(contradicted.hard());
        assertTrue(both.rule().startsWith("bounce-rules.tsv:"), both.rule());
    }

    @Test
    void hardFollowsSisimaiEvenOnATemporaryCode() {
        // Sisimai::SMTP::Failure: userunknown is hard whatever the class; notaccept only when permanent.
        Classification c = classifier.classify(new FailedReply(450, "4.1.1", "user unknown", SmtpCommand.RCPT, null, false));
        assertEquals("userunknown", c.reason());
        assertTrue(c.hard(), "Sisimai calls a user unknown hard whatever the class");
        assertFalse(c.conclusive(), "4.1.1 is not in the status table: the words alone are not enough to act on one bounce");
        assertTrue(classifier.classify(556, "5.1.10", "domain accepts no mail").hard());
        assertFalse(classifier.classify(453, "4.3.2", "not accepting network messages").hard());
        // words alone, no code and no status: Sisimai gives its permanent pseudo status, so hard (but never conclusive)
        Classification words = classifier.classify(0, null, "No MX found for domain");
        assertEquals("notaccept", words.reason());
        assertTrue(words.hard());
        assertFalse(words.conclusive());
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
        assertFalse(classify("554 5.7.0 Message contains a virus (Eicar-Test-Signature)").hard());
        assertEquals("expired", classifier.classify(0, "4.4.7", "delivery time expired").reason());
    }

    @Test
    void statusIsInferredWhenTheReplyHasNone() {
        Classification c = classifier.classify(SmtpReply.parse("550 No such user here"), SmtpCommand.RCPT);
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
        assertEquals("userunknown", mine.classify(SmtpReply.parse("550 user unknown"), SmtpCommand.RCPT).reason());
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
        Files.writeString(rules, "[first]\nuser-unknown\t*\t*\tx\tcommand=QUIT\n");
        e = assertThrows(IllegalArgumentException.class, () -> BounceClassifier.withUserRules(rules));
        assertTrue(e.getMessage().contains("bad.tsv:2") && e.getMessage().contains("QUIT"), e.getMessage());
        Files.writeString(rules, "[first]\nblocked\t*\t*\tx\trhost=example.com\n");
        e = assertThrows(IllegalArgumentException.class, () -> BounceClassifier.withUserRules(rules));
        assertTrue(e.getMessage().contains("bad.tsv:2") && e.getMessage().contains("[provider]"), e.getMessage());
        Files.writeString(rules, "[nowhere]\n");
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
        assertEquals("onhold", c.classify(599, null, "No such user").reason(), "55x does not match 599: words no rule decides are on hold");
        assertEquals("undefined", c.classify(0, null, "").reason(), "no words, no code: undefined");
        assertNull(c.explain(599, null, "no such user"));
    }
    @Test
    void aProviderRuleDecidesOnItsOwnHostsAndIsConclusive() {
        String text = "5.1.1 The email account that you tried to reach does not exist. Please try double-checking";
        Classification gmail = classifier.classify(new FailedReply(550, "5.1.1", text, SmtpCommand.UNKNOWN, "gmail-smtp-in.l.google.com", false));
        assertEquals("userunknown", gmail.reason());
        assertEquals(Evidence.REMOTE_HOST, gmail.evidence(), "Google's catalogue says what its reply means");
        assertTrue(gmail.conclusive());
        Classification elsewhere = classifier.classify(new FailedReply(550, null, "The email account that you tried to reach does not exist",
                SmtpCommand.UNKNOWN, "mx.example.net", false));
        assertFalse(elsewhere.conclusive(), "another host using Google's words is not Google");
    }

    @Test
    void aProviderBlockOfOurAddressIsNeverAboutTheRecipient() {
        Classification c = classifier.classify(new FailedReply(421, "4.7.0",
                "[TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
                SmtpCommand.MAIL, "mta7.am0.yahoodns.net", false));
        assertEquals("badreputation", c.reason());
        assertFalse(c.hard());
    }

    @Test
    void aGenericDsnStatusYieldsToTheServersOwnStatus() {
        Classification c = classifier.classify(new FailedReply(0, "5.0.0", "550 5.2.2 <x@example.org>: mailbox full",
                SmtpCommand.UNKNOWN, null, false));
        assertEquals("5.2.2", c.status(), "x.0.0 says less than the diagnostic's own status");
        assertEquals("mailboxfull", c.reason());
    }

    @Test
    void relayRefusalsInTheirUsualWordingsAreNoRelaying() {
        assertEquals("norelaying", classifier.classify(FailedReply.of(550, null, "Insecure Mail Relay")).reason());
        assertEquals("norelaying", classifier.classify(FailedReply.of(501, null,
                "Rcpt-To validation failed: RCPT TO not accepted: 5.7.1 This system is not configured to relay mail")).reason());
        assertEquals("norelaying", classifier.classify(FailedReply.of(553, null, "sorry, we are not an open relay, so get lost")).reason());
        // ...but "open relay" said of the sending host is a block of our host
        assertEquals("blocked", classifier.classify(new FailedReply(501, null,
                "<postmaster@sender.example>... no access from mail server [192.0.2.55] which is an open relay.", SmtpCommand.MAIL, null,
                false)).reason());
    }

    @Test
    void postfixsOwnDeliverySuspensionIsNoSuspendedAccount() {
        Classification c = classifier.classify(FailedReply.of(0, "4.0.0", "delivery temporarily suspended: connect to "
                + "mx.example.org[192.0.2.9]:25: server refused to talk to me: 421 Service not available, closing transmission channel"));
        assertEquals("blocked", c.reason(), "Postfix marks the destination dead; the server refused the connection");
        assertEquals("suspend", classifier.classify(FailedReply.of(550, null, "vdelivermail: account is locked email bounced")).reason());
        assertEquals("suspend", classifier.classify(FailedReply.of(550, null, "This account has been temporarily suspended")).reason());
    }

    @Test
    void authenticationWordsOutweighABare571() {
        assertEquals("securityerror", classifier.classify(FailedReply.of(550, "5.7.1",
                "5.7.1 RESOLVER.RST.AuthRequired; authentication required")).reason());
        assertEquals("securityerror", classifier.classify(new FailedReply(550, null, "Unauthenticated senders not allowed",
                SmtpCommand.MAIL, null, false)).reason());
        assertEquals("blocked", classifier.classify(FailedReply.of(554, "5.7.1", "Service unavailable; Client host [192.0.2.1] blocked")).reason(),
                "block words still decide a 5.7.1");
        assertEquals("blocked", classifier.classify(FailedReply.of(550, "5.7.1", "Message refused")).reason(), "a bare 5.7.1 is a block");
    }

    @Test
    void aMailboxsAdministrativeLimitIsNotAMessageTooBig() {
        assertEquals("exceedlimit", classifier.classify(FailedReply.of(552, "5.2.3",
                "5.2.3 Message size exceeds fixed maximum message size (10485760)")).reason(), "RFC 3463 X.2.3 is the mailbox's limit");
        assertEquals("mesgtoobig", classifier.classify(FailedReply.of(552, "5.3.4",
                "5.3.4 Message size exceeds fixed maximum message size (10485760)")).reason());
        assertEquals("mesgtoobig", classifier.classify(FailedReply.of(552, null, "Message size exceeds fixed maximum message size")).reason());
    }

    @Test
    void aLocalMailersExitIsAMailerError() {
        assertEquals("mailererror", classifier.classify(FailedReply.of(554, "5.3.0", "5.3.0 unknown mailer error 75")).reason());
        assertEquals("mailererror", classifier.classify(FailedReply.of(554, null, "/usr/bin/procmail: command died with status 1")).reason());
    }

    @Test
    void withNoHostNamedTheProviderRulesAreTriedOnTheRecipientsDomainButDecideNothingAlone() {
        FailedReply r = new FailedReply(550, null, "550: <someone@ezweb.ne.jp>: User unknown", SmtpCommand.UNKNOWN, null, false)
                .forRecipient("someone@ezweb.ne.jp");
        assertEquals("ezweb.ne.jp", r.recipientDomain());
        Classification c = classifier.classify(r);
        assertEquals("userunknown", c.reason(), "KDDI's catalogue: '<address>: User unknown' is a missing address");
        assertFalse(c.conclusive(), "without its host named, a relay may have answered: never a one-bounce suppression");
        Classification relayed = classifier.classify(new FailedReply(550, null, "550: <someone@ezweb.ne.jp>: User unknown", SmtpCommand.UNKNOWN,
                "mx.relay.example", false).forRecipient("someone@ezweb.ne.jp"));
        assertEquals("filtered", relayed.reason(), "a named host that is not the provider's is not the provider");
        assertNull(FailedReply.of(550, null, "x").forRecipient("no-domain").recipientDomain());
    }

    @Test
    void coxsPublishedCodesNameABlockOfOurIp() {
        Classification c = classifier.classify(new FailedReply(550, "5.1.0", "5.1.0 <bounce@sender.example> sender rejected. Refer to Error "
                + "Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CDRBL",
                SmtpCommand.MAIL, "cxr.mx.a.cloudfilter.net", false));
        assertEquals("blocked", c.reason());
        assertEquals(Evidence.REMOTE_HOST, c.evidence());
        assertEquals("blocked", classifier.classify(new FailedReply(554, null, "554 cmsmtp IP blocked. AUP#IPBL0001", SmtpCommand.CONN,
                "fed1rmimpi.cox.net", false)).reason());
    }
    @Test
    void mimecastAndGoDaddyRepliesAreDecidedByTheirPublishedTables() {
        // Mimecast's "SMTP Error Codes": an anti-spoofing refusal is the recipient site's policy, never the recipient
        Classification spoof = classifier.classify(new FailedReply(550, null, "Rejected by header based Anti-Spoofing policy",
                SmtpCommand.DATA, "us-smtp-inbound-1.mimecast.com", false));
        assertEquals("policyviolation", spoof.reason());
        assertFalse(spoof.hard());
        assertEquals("userunknown", classifier.classify(new FailedReply(550, null, "Invalid Recipient", SmtpCommand.RCPT,
                "eu-smtp-inbound-2.mimecast.com", false)).reason());
        // GoDaddy's IB code decides whatever the words: IB212 is content judged to be spam
        assertEquals("spamdetected", classifier.classify(new FailedReply(552, "5.2.0",
                "This message has been rejected due to content judged to be spam by the internet community IB212",
                SmtpCommand.DATA, "smtp.secureserver.net", false)).reason());
        assertEquals("suspend", classifier.classify(new FailedReply(550, null, "Account disabled", SmtpCommand.RCPT,
                "mx1.secureserver.net", false)).reason());
    }
}
