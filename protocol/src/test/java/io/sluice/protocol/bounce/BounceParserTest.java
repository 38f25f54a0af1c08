package io.sluice.protocol.bounce;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Byte-level specifications of the parser, independent of the corpus. */
class BounceParserTest {

    private final BounceParser parser = new BounceParser();

    private BounceReport parse(String s) {
        return parser.parse(s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rfc3464DsnGivesOneVerdictPerRecipientAndTheOriginalHeaders() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@mx.example.net
                To: bounces+42@sender.example
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/plain

                I'm sorry to have to inform you that your message could not be delivered.
                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net

                Final-Recipient: rfc822; gone@example.net
                Original-Recipient: rfc822;Gone@example.net
                Action: failed
                Status: 5.1.1
                Remote-MTA: dns; in.example.net
                Diagnostic-Code: smtp; 550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown

                Final-Recipient: rfc822; full@example.net
                Action: delayed
                Status: 4.2.2
                Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

                --B
                Content-Type: text/rfc822-headers

                From: news@sender.example
                To: gone@example.net
                Message-ID: <m1@sender.example>
                X-Sluice-Trace: abc

                --B--
                """);
        assertEquals(BounceReport.Kind.BOUNCE, r.kind());
        assertEquals(2, r.recipients().size());
        BouncedRecipient gone = r.recipients().get(0);
        assertEquals("gone@example.net", gone.recipient());
        assertEquals("in.example.net", gone.remoteMta());
        assertEquals("userunknown", gone.classification().reason());
        assertTrue(gone.classification().hard());
        BouncedRecipient full = r.recipients().get(1);
        assertEquals("delayed", full.action());
        assertEquals("mailboxfull", full.classification().reason());
        assertFalse(full.classification().hard());
        assertTrue(new String(r.originalHeaders(), StandardCharsets.UTF_8).contains("X-Sluice-Trace: abc"));
    }

    @Test
    void qmailStyleProseBounce() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@mx.example.org
                To: bounces@sender.example
                Subject: failure notice

                Hi. This is the qmail-send program at mx.example.org.
                I'm afraid I wasn't able to deliver your message to the following addresses.
                This is a permanent error; I've given up. Sorry it didn't work out.

                <alice@example.org>:
                192.0.2.1 does not like recipient.
                Remote host said: 550 5.2.2 Mailbox full
                Giving up on 192.0.2.1.

                <bob@example.org>:
                Sorry, no mailbox here by that name. (#5.1.1)

                --- Below this line is a copy of the message.

                Return-Path: <bounces@sender.example>
                Message-ID: <m2@sender.example>
                To: alice@example.org

                hello
                """);
        assertEquals(List.of("alice@example.org", "bob@example.org"), r.recipients().stream().map(BouncedRecipient::recipient).toList());
        assertEquals("mailboxfull", r.recipients().get(0).classification().reason());
        assertEquals("userunknown", r.recipients().get(1).classification().reason());
        assertTrue(new String(r.originalHeaders(), StandardCharsets.UTF_8).contains("Message-ID: <m2@sender.example>"));
    }

    @Test
    void qmailNamesTheRefusedCommandAndItsOwnLinesDecide() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@mx.example.org
                To: bounces@sender.example
                Subject: failure notice

                Hi. This is the qmail-send program at mx.example.org.
                I'm afraid I wasn't able to deliver your message to the following addresses.

                <carol@example.org>:
                192.0.2.1 does not like recipient.
                Remote host said: 550 Unknown user
                Giving up on 192.0.2.1.

                <dave@example.net>:
                Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)
                I'm not going to try again; this message has been in the queue too long.

                --- Below this line is a copy of the message.

                Message-ID: <m3@sender.example>
                """);
        // "does not like recipient" is qmail-remote's line for a refused RCPT TO: user-unknown words there are a missing mailbox
        BouncedRecipient carol = r.recipients().get(0);
        assertEquals("userunknown", carol.classification().reason());
        assertTrue(carol.classification().hard());
        // qmail's own line says the host never answered; its "in the queue too long" does not make it a plain expiry
        assertEquals("networkerror", r.recipients().get(1).classification().reason());
    }

    @Test
    void aReasonOnTheRecipientsLineIsNotOverruledByTheTemplateBelowIt() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@mx.example.org
                To: bounces@sender.example
                Subject: Delivery status notification: delayed

                Hi!

                This is the MAILER-DAEMON, please DO NOT REPLY to this email.

                An error has occurred while attempting to deliver a message for
                the following list of recipients:

                erin@example.org: Envelope expired

                    Please note that this is only a temporary failure report.
                    The message is kept in the queue for up to 7 days.

                    Below is a copy of the original message:

                Received: from sender.example (sender.example [192.0.2.7])
                        by mx.example.org; Thu, 29 Apr 2021 23:34:45 +0900
                Message-ID: <m5@sender.example>
                """);
        // "temporary failure" is the template's sentence, not what happened to erin@
        assertEquals("expired", r.recipients().get(0).classification().reason());
    }

    @Test
    void powerMtaCategoryDecidesUnlessTheStatusSaysOtherwise() {
        String dsn = """
                From: postmaster@pmta.sender.example
                To: bounces@sender.example
                Subject: Delivery report
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/plain

                Hello, this is the mail server on pmta.sender.example.
                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns;pmta.sender.example

                Final-Recipient: rfc822;one@example.com
                Action: failed
                Status: 5.0.0 (undefined status)
                Remote-MTA: dns;mx.example.com
                Diagnostic-Code: smtp;554 delivery error: this account cannot be found
                X-PowerMTA-BounceCategory: bad-mailbox

                Final-Recipient: rfc822;two@example.com
                Action: failed
                Status: 5.2.1 (mailbox disabled, not accepting messages)
                Remote-MTA: dns;mx.example.com
                Diagnostic-Code: smtp;550 5.2.1 <two@example.com>... User Unknown
                X-PowerMTA-BounceCategory: bad-mailbox

                Final-Recipient: rfc822;three@example.com
                Action: failed
                Status: 5.0.0
                Remote-MTA: dns;mx.example.com
                Diagnostic-Code: smtp;550 rejected
                X-PowerMTA-BounceCategory: spam-related

                --B--
                """;
        BounceReport r = parse(dsn);
        assertEquals("userunknown", r.recipients().get(0).classification().reason());
        // A mailbox-exists status (5.2.1) contradicts the category: status and words decide again, and never hard
        assertFalse(r.recipients().get(1).classification().hard());
        assertEquals("spamdetected", r.recipients().get(2).classification().reason());
        // The diagnostic shown is the server's, not the category appended for the rules
        assertFalse(r.recipients().get(0).diagnostic().contains("BounceCategory"));
    }

    @Test
    void postfixAdviceAboutTheReturnedMessageDoesNotHideTheRecipientBlock() {
        // Postfix's template ends its advice with "...from the attached returned message." inside a paragraph:
        // that is not the separator before the copy, so the block after it (and its RCPT TO) is read.
        BounceReport r = parse("""
                From: MAILER-DAEMON@mail.sender.example
                To: bounces@sender.example
                Subject: Undelivered Mail Returned to Sender

                This is the mail system at host mail.sender.example.

                I'm sorry to have to inform you that your message could not
                be delivered to one or more recipients. It's attached below.

                If you do so, please include this problem report. You can
                delete your own text from the attached returned message.

                                   The mail system

                <dave@example.net>: host mx.example.net[192.0.2.7] said: 550 User not found
                    (in reply to RCPT TO command)
                """);
        Classification c = r.recipients().get(0).classification();
        assertEquals("userunknown", c.reason(), "user-unknown words answering RCPT TO are about the mailbox");
        assertTrue(c.hard());
    }

    @Test
    void userUnknownWordsWithNoCommandNamedAreAFilterAsInSisimai() {
        BounceReport r = parse("""
                From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example>
                To: bounces@sender.example
                Subject: Undeliverable Mail

                erin@example.org:
                    User unknown
                """);
        Classification c = r.recipients().get(0).classification();
        assertEquals("filtered", c.reason(), "no command named: Sisimai's Filtered takes the words, not UserUnknown");
        assertFalse(c.hard(), "so nobody is suppressed on words a content filter uses too");
    }

    @Test
    void aSendmailTranscriptBelongsToTheRecipientLineBelowIt() {
        // Sendmail (V5 and later) prints the refused exchange, then the recipient's summary line; a host's status line
        // ("550 example.com (smtp)... 550 Host unknown") comes before its own recipient's line, not after the one above.
        BounceReport r = parse("""
                From: Mail Delivery Subsystem <MAILER-DAEMON@relay.sender.example>
                To: news@sender.example
                Subject: Returned mail: Service unavailable

                   ----- Transcript of session follows -----
                While talking to mx.example.org:
                >>> MAIL From:<news@sender.example>
                <<< 550 Insecure Mail Relay
                554 <ann@example.org>... Remote protocol error
                550 example.com (smtp)... 550 Host unknown
                554 <bob@example.com>... 550 Host unknown (Authoritative answer from name server)

                   ----- Unsent message follows -----
                Subject: hello
                """);
        assertEquals(List.of("ann@example.org", "bob@example.com"), r.recipients().stream().map(BouncedRecipient::recipient).toList());
        Classification ann = r.recipients().get(0).classification();
        assertEquals("norelaying", ann.reason(), "the MAIL FROM refusal above ann's line is ann's reason");
        assertFalse(ann.hard(), "bob's 'Host unknown' is not ann's");
        Classification bob = r.recipients().get(1).classification();
        assertEquals("hostunknown", bob.reason());
    }

    @Test
    void aTemplatesContactAddressIsNoFailedRecipient() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@mail.isp.example
                To: news@sender.example
                Subject: Undelivered Mail Returned to Sender

                This is the mail system at host mail.isp.example.

                For further assistance, please contact <support@isp.example>

                                   The mail system

                <carol@example.org>: host mx.example.org[192.0.2.22] said: 550
                    <carol@example.org>: User unknown

                If that does not help, write to the help desk:
                <support@isp.example>
                """);
        assertEquals(List.of("carol@example.org"), r.recipients().stream().map(BouncedRecipient::recipient).toList());
        assertEquals("filtered", r.recipients().get(0).classification().reason(), "no command named: as Sisimai, a filter");
    }

    @Test
    void aRawUtf8SubjectIsReadAsUtf8() {
        // RFC 6532 allows UTF-8 in header fields; a Japanese carrier's "mail error notice" arrives that way.
        BounceReport r = parse("""
                From: no-reply@mail.carrier.example
                To: <news@sender.example>
                Subject: メールエラー通知
                Content-Type: text/plain; charset=UTF-8

                Your mail sent on: Thu, 29 Apr 2021 23:45:22 +0900
                     Could not be delivered to: <dan@carrier.example>
                     As their mailbox is full.
                """);
        assertEquals(BounceReport.Kind.BOUNCE, r.kind());
        assertEquals("dan@carrier.example", r.recipients().get(0).recipient());
        assertEquals("mailboxfull", r.recipients().get(0).classification().reason());
        assertEquals("メールエラー通知", BounceParser.rawUtf8(new String("メールエラー通知".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1)));
        assertEquals("caf\u00e9", BounceParser.rawUtf8("caf\u00e9"), "a Latin-1 value that is not UTF-8 stays as it is");
    }

    @Test
    void eximStyleBlocksAndTheMailFromStage() {
        BounceReport r = parse("""
                From: Mail Delivery System <Mailer-Daemon@mx.example.com>
                To: bounces@sender.example
                Subject: Mail delivery failed: returning message to sender
                X-Failed-Recipients: carol@example.com

                This message was created automatically by mail delivery software.

                A message that you sent could not be delivered to one or more of its
                recipients. This is a permanent error. The following address(es) failed:

                  carol@example.com
                    host mx.example.com [192.0.2.9]
                    SMTP error from remote mail server after MAIL FROM:<bounces@sender.example>:
                    550 Sender domain does not exist
                """);
        BouncedRecipient carol = r.recipients().get(0);
        assertEquals("carol@example.com", carol.recipient());
        assertEquals("rejected", carol.classification().reason(), "a MAIL FROM refusal is about us, not about carol");
        assertFalse(carol.classification().hard());
    }

    @Test
    void anEzwebSessionLineAboveTheRecipientsDecidesForThem() {
        // au EZweb prints the account's state in the report's general paragraph, then the recipient with a reply the
        // Postfix behind it gave; Sisimai's EZweb parser takes the paragraph as the reason: suspended, not user unknown.
        BounceReport r = parse("""
                From: <Postmaster@ezweb.ne.jp>
                To: bounces@sender.example
                Subject: Mail System Error - Returned Mail
                Message-ID: <1234.abcd@mx.ezweb.ne.jp>
                Content-Type: text/plain

                The user(s) account is disabled.

                <someone@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)

                --------------------------------------------------
                """);
        assertEquals(1, r.recipients().size());
        Classification c = r.recipients().get(0).classification();
        assertEquals("suspend", c.reason());
        assertFalse(c.hard(), "a disabled account is not a missing address");

        // EZweb's spam filter marks its refusals with X-SPASIGN: NG: filtered, whatever the reply says
        BounceReport spam = parse("""
                From: <Postmaster@ezweb.ne.jp>
                To: bounces@sender.example
                Subject: Mail System Error - Returned Mail
                Message-ID: <1235.abcd@mx.ezweb.ne.jp>
                X-SPASIGN: NG
                Content-Type: text/plain

                <someone@ezweb.ne.jp>: 550 user unknown

                --------------------------------------------------
                """);
        assertEquals("filtered", spam.recipients().get(0).classification().reason());
    }

    @Test
    void theNewFormatsAreKnownByTheirHeaderMarks() {
        assertEquals(BounceFormat.EZWEB, format("From: <Postmaster@au.com>\nSubject: Mail System Error - Returned Mail\n"));
        assertEquals(null, format("From: <Postmaster@au.com>\nSubject: Returned mail\n"), "one mark of two is not enough");
        assertEquals(BounceFormat.DOMINO, format("From: Postmaster@example.org\nSubject: DELIVERY FAILURE: User x not listed\n"));
        assertEquals(BounceFormat.COURIER, format("From: Courier mail server at mx.example.org <@>\nSubject: NOTICE: mail delivery status.\n"));
        assertEquals(BounceFormat.FML, format("From: list-admin@example.jp\nX-MLServer: fml [fml 8.0]\nMessage-ID: <20200101.FML12345@example.jp>\n"
                + "Subject: NOT MEMBER article from x\n"));
        assertEquals(BounceFormat.MCAFEE, format("From: postmaster@example.com\nX-NAI-Header: Modified by McAfee Email Gateway\n"
                + "Subject: Delivery Status\n"));
        assertEquals(BounceFormat.MXLOGIC, format("From: Mail Delivery System <MAILER-DAEMON@example.com>\nX-MX-Bounce: mta/src/queue/bounce\n"
                + "Subject: Mail delivery failed: returning message to sender\n"));
        assertEquals(BounceFormat.EINSUNDEINS, format("From: \"Mail Delivery System\" <mailer-daemon@example.de>\n"
                + "Subject: Mail delivery failed: returning message to sender\n"));
        assertEquals(BounceFormat.BIGLOBE, format("From: postmaster@biglobe.ne.jp\nSubject: Returned mail: User unknown\n"));
        assertEquals(BounceFormat.EXIM, format("From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
                + "Subject: Mail delivery failed: returning message to sender\n"));
        assertEquals(BounceFormat.OFFICE365, format("From: postmaster@example.onmicrosoft.com\nSubject: Undeliverable: news\n"
                + "X-MS-Exchange-Message-Is-Ndr:\nX-MS-Exchange-CrossTenant-FromEntityHeader: Hosted\n"));
        assertEquals(BounceFormat.EXCHANGE2007, format("From: postmaster@example.org\nSubject: Undeliverable: news\nContent-Language: en-US\n"));
        assertEquals(BounceFormat.GMAIL, format("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
                + "Subject: Delivery Status Notification (Failure)\n"));
        assertEquals(null, format("From: Mail Delivery System <Mailer-Daemon@corp.mail.ru>\n"
                + "Subject: Mail delivery failed: returning message to sender\n"), "Mail.ru is not Exim");
    }

    @Test
    void aDominoReasonLineDecides() {
        BounceReport r = parse("""
                From: Postmaster@notes.example.org
                To: bounces@sender.example
                Subject: DELIVERY FAILURE: Error transferring to mail.example.org
                Content-Type: text/plain

                Your message

                  Subject: news

                was not delivered to:

                  someone@example.org

                because:

                  Cannot route mail to user (someone@example.org)
                """);
        assertEquals("filtered", r.recipients().get(0).classification().reason());
    }

    @Test
    void theMailboxProvidersFormatsAreKnownByTheirHeaderMarks() {
        assertEquals(BounceFormat.MAILRU, format("From: Mail Delivery System <mailer-daemon@corp.mail.ru>\n"
                + "Message-ID: <E1abcDE-000123-Xy@fallback.mail.ru>\nSubject: Mail delivery failed: returning message to sender\n"));
        assertEquals(BounceFormat.GMX, format("From: \"Mail Delivery System\" <mailer-daemon@gmx.net>\n"
                + "X-GMX-Antispam: 0 (Mail was not recognized as spam)\nSubject: Mail delivery failed: returning message to sender\n"));
        assertEquals(BounceFormat.ZOHO, format("From: mailer-daemon@mail.zoho.com\nX-ZohoMail: Si CHF_MF_NL\nSubject: Undelivered Mail\n"));
        assertEquals(BounceFormat.AOL, format("From: MAILER-DAEMON@aol.com\nX-AOL-IP: 192.0.2.135\nSubject: Undeliverable: news\n"));
        assertEquals(BounceFormat.YAHOO, format("From: MAILER-DAEMON@yahoo.com\nX-YMailISG: abc\nSubject: Failure Notice\n"));
        assertEquals(BounceFormat.MFILTER, format("From: postmaster@example.jp\nX-Mailer: m-FILTER\nSubject: failure notice\n"));
        assertEquals(BounceFormat.QMAIL, format("From: MAILER-DAEMON@example.jp\nSubject: failure notice\n"), "without m-FILTER's X-Mailer it is qmail's");
        assertEquals(null, format("From: someone@example.org\nX-ZohoMail:\nSubject: hello\n"), "an empty mark is no mark");
        assertEquals(BounceFormat.AMAZONSES, format("From: MAILER-DAEMON@email-bounces.amazonses.com\nX-SES-Outgoing: 2016.10.12-192.0.2.6\n"
                + "Subject: Delivery Status Notification (Failure)\n"));
        assertEquals(BounceFormat.AMAZONWORKMAIL, format("From: MAILER-DAEMON@us-west-2.amazonses.com\nX-SES-Outgoing: 2016.01.14-192.0.2.159\n"
                + "X-Original-Mailer: Amazon WorkMail\nSubject: Delivery Status Notification (Failure)\n"));
        assertEquals(BounceFormat.QMAIL, format("From: MAILER-DAEMON@example.net\nSubject: Permanent Delivery Failure\n"), "a qmail clone");
    }

    @Test
    void aMailRuRefusalAtMailFromIsOfOurSender() {
        BounceReport r = parse("""
                From: Mail Delivery System <mailer-daemon@corp.mail.ru>
                To: bounces@sender.example
                Subject: Mail delivery failed: returning message to sender
                Message-ID: <E1abcDE-000123-Xy@relay.mail.ru>

                This message was created automatically by mail delivery software.

                A message that you sent could not be delivered to one or more of its
                recipients. This is a permanent error. The following address(es) failed:

                  carol@example.com
                    SMTP error from remote mail server after MAIL FROM:<bounces@sender.example> SIZE=1200:
                    host mx.example.com [192.0.2.9]: 553 Administrative prohibition
                """);
        assertEquals(BounceFormat.MAILRU, BounceFormat.of(io.sluice.protocol.mime.MimePart.parse(
                "From: Mail Delivery System <mailer-daemon@corp.mail.ru>\r\nMessage-ID: <E1a-0-X@relay.mail.ru>\r\nSubject: Mail failure\r\n\r\nx\r\n"
                        .getBytes(StandardCharsets.UTF_8))));
        assertEquals("rejected", r.recipients().get(0).classification().reason());
        assertFormatRule(r.recipients().get(0).classification(), "format=mailru");
    }

    @Test
    void gmxAndZohoGiveUpWithTheirOwnLines() {
        BounceReport gmx = parse("""
                From: "Mail Delivery System" <mailer-daemon@gmx.net>
                To: bounces@sender.example
                Subject: Mail delivery failed: returning message to sender
                X-GMX-Antispam: 0 (Mail was not recognized as spam); Detail=V3;

                This message was created automatically by mail delivery software.

                A message that you sent could not be delivered to one or more of
                its recipients. This is a permanent error. The following address
                failed:

                "dave@example.net":

                Reason:
                delivery retry timeout exceeded

                --- The header of the original message is following. ---
                """);
        assertEquals("dave@example.net", gmx.recipients().get(0).recipient());
        assertEquals("expired", gmx.recipients().get(0).classification().reason());
        assertFormatRule(gmx.recipients().get(0).classification(), "format=gmx");
        BounceReport zoho = parse("""
                From: mailer-daemon@mail.zoho.com
                To: bounces@sender.example
                Subject: Undelivered Mail Returned to Sender
                X-ZohoMail: Si CHF_MF_NL SS_10

                This message was created automatically by mail delivery software.
                A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.

                [Status: Error, Address: <erin@example.net>, ResponseCode 421, , Host not reachable.]
                """);
        assertEquals("erin@example.net", zoho.recipients().get(0).recipient());
        assertEquals("expired", zoho.recipients().get(0).classification().reason());
        assertFormatRule(zoho.recipients().get(0).classification(), "format=zoho");
    }

    @Test
    void anAolDnsFailureIsAnUnknownHost() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@aol.com
                To: bounces@sender.example
                Subject: Undeliverable: news
                X-AOL-IP: 192.0.2.135
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/plain

                Your message could not be delivered.
                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns; omr-m01.mx.aol.com

                Final-Recipient: rfc822; frank@example.invalid
                Action: failed
                Status: 5.0.0
                Diagnostic-Code: smtp; Host or domain name not found. Name service error for name=example.invalid type=A: Host not found

                --B--
                """);
        assertEquals("hostunknown", r.recipients().get(0).classification().reason());
        assertFormatRule(r.recipients().get(0).classification(), "format=aol");
    }

    @Test
    void qmailsRefusalOfOurSenderIsRejectedWhateverTheWords() {
        String body = """
                To: bounces@sender.example
                Subject: failure notice

                Hi. This is the qmail-send program at mx.example.net.
                I'm afraid I wasn't able to deliver your message to the following addresses.
                This is a permanent error; I've given up. Sorry it didn't work out.

                <ivan@example.org>:
                Connected to 192.0.2.25 but sender was rejected.
                Remote host said: 550 Blocked by policy

                --- Below this line is a copy of the message.
                """;
        BounceReport qmail = parse("From: MAILER-DAEMON@mx.example.net\n" + body);
        assertEquals("ivan@example.org", qmail.recipients().get(0).recipient());
        assertEquals("rejected", qmail.recipients().get(0).classification().reason());
        assertFormatRule(qmail.recipients().get(0).classification(), "format=qmail");
    }

    @Test
    void anAmazonSesExpiryIsExpired() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@email-bounces.amazonses.com
                To: bounces@sender.example
                Subject: Delivery Status Notification (Failure)
                X-SES-Outgoing: 2016.10.12-192.0.2.6
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/plain

                An error occurred while trying to deliver the mail to the following recipients:
                judy@example.org
                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns; a27-1.smtp-out.us-west-2.amazonses.com

                Final-Recipient: rfc822; judy@example.org
                Action: failed
                Status: 5.0.0
                Diagnostic-Code: smtp; Delivery expired (message too old) 'Connection timed out'

                --B--
                """);
        assertEquals("expired", r.recipients().get(0).classification().reason());
        assertFormatRule(r.recipients().get(0).classification(), "format=amazonses");
    }

    @Test
    void aSendGridRecipientItMarksExpiredExpired() {
        BounceReport r = parse("""
                Return-Path: <apps@sendgrid.net>
                From: MAILER-DAEMON
                To: bounces@sender.example
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/plain

                This is an automatically generated message from SendGrid.
                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns; sendgrid.net

                Final-Recipient: rfc822; kim@example.org
                Action: expired
                Status: 4.0.0
                Diagnostic-Code: smtp; 451 Temporary local problem - please try later

                --B--
                """);
        assertEquals(BounceFormat.SENDGRID, format("Return-Path: <apps@sendgrid.net>\nSubject: Undelivered Mail Returned to Sender\n"));
        assertEquals("expired", r.recipients().get(0).classification().reason());
        assertFormatRule(r.recipients().get(0).classification(), "format=sendgrid");
    }

    /* The verdict came from the [format] rule for that format (the bundled rules file's line the verdict names). */
    private static void assertFormatRule(Classification c, String format) {
        assertNotNull(c.rule(), "a rule decided");
        int line = Integer.parseInt(c.rule().substring(c.rule().lastIndexOf(':') + 1));
        try (var in = BounceParser.class.getResourceAsStream("bounce-rules.tsv")) {
            String rule = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)[line - 1];
            assertTrue(rule.contains(format), c.rule() + " is not a " + format + " rule: " + rule);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void yahoosReplyNamingTheAddressAnsweredRcptTo() {
        // Without the format the same "no such user" words name no command and read as a filter (soft); Yahoo's parser
        // concludes RCPT TO from the address in the reply, so the recipient is unknown.
        String body = """
                To: bounces@sender.example
                Subject: Failure Notice

                Sorry, we were unable to deliver your message to the following address.

                <grace@example.org>:
                Remote host said: 550 <grace@example.org>... No such user here

                --- Below this line is a copy of the message.
                """;
        BounceReport yahoo = parse("From: MAILER-DAEMON@yahoo.com\nX-YMailISG: abc\n" + body);
        assertEquals("grace@example.org", yahoo.recipients().get(0).recipient());
        assertEquals("userunknown", yahoo.recipients().get(0).classification().reason());
        BounceReport other = parse("From: MAILER-DAEMON@example.com\n" + body);
        assertEquals("filtered", other.recipients().get(0).classification().reason());
    }

    @Test
    void anMFilterRefusalAfterDataIsAFilter() {
        BounceReport r = parse("""
                From: postmaster@example.jp
                To: bounces@sender.example
                Subject: failure notice
                X-Mailer: m-FILTER

                henry@example.jp


                -------server message
                550 unknown user <henry@example.jp>

                -------SMTP command
                DATA

                -------original message
                """);
        assertEquals("henry@example.jp", r.recipients().get(0).recipient());
        assertEquals("filtered", r.recipients().get(0).classification().reason());
    }

    private static String format(String headers) {
        return BounceFormat.of(io.sluice.protocol.mime.MimePart.parse((headers + "\nbody\n").replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void autoReplyIsNotABounce() {
        BounceReport r = parse("""
                From: Dana <dana@example.com>
                To: news@sender.example
                Subject: Out of Office: Your newsletter
                Auto-Submitted: auto-replied

                I am away until Monday.
                """);
        assertEquals(BounceReport.Kind.AUTO_REPLY, r.kind());
        assertEquals("dana@example.com", r.recipients().get(0).recipient());
        assertFalse(r.isBounce());
    }

    @Test
    void humanReplyIsNotABounce() {
        BounceReport r = parse("""
                From: Erin <erin@example.com>
                To: news@sender.example
                Subject: Re: Your newsletter

                Thanks, the user unknown bug is fixed now.
                """);
        assertEquals(BounceReport.Kind.NOT_BOUNCE, r.kind());
        assertTrue(r.recipients().isEmpty());
    }

    @Test
    void sesBounceNotification() {
        BounceReport r = parse("""
                From: no-reply@sns.amazonaws.com
                Subject: AWS Notification Message
                Content-Type: text/plain

                {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",
                "bouncedRecipients":[{"emailAddress":"frank@example.com","action":"failed","status":"5.1.1",
                "diagnosticCode":"smtp; 550 5.1.1 user unknown"}]}}
                """);
        assertEquals(BounceReport.Kind.BOUNCE, r.kind());
        assertEquals("frank@example.com", r.recipients().get(0).recipient());
        assertEquals("userunknown", r.recipients().get(0).classification().reason());
    }

    @Test
    void forgedAndMalformedInputIsIgnoredWithoutExceptions() {
        List<byte[]> inputs = List.of(
                new byte[0],
                "\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "garbage without headers".getBytes(StandardCharsets.US_ASCII),
                // truncated in the middle of the delivery-status part
                ("Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\n"
                        + "Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822;").getBytes(StandardCharsets.US_ASCII),
                // a DSN with no recipient at all
                ("From: MAILER-DAEMON@x\r\nContent-Type: multipart/report; boundary=x\r\n\r\n--x\r\n"
                        + "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n--x--\r\n").getBytes(StandardCharsets.US_ASCII),
                // a huge header
                ("Subject: " + "a".repeat(2_000_000) + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII),
                ("X-Many: 1\r\n".repeat(100_000) + "\r\nbody").getBytes(StandardCharsets.US_ASCII),
                // nesting far deeper than any real mail
                nested(200),
                // broken base64 and quoted-printable
                ("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!=A=\r\n").getBytes(StandardCharsets.US_ASCII),
                ("Content-Type: text/plain; charset=no-such-charset\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] in : inputs) {
            BounceReport r = parser.parse(in);
            assertTrue(r.kind() == BounceReport.Kind.NOT_BOUNCE || r.kind() == BounceReport.Kind.BOUNCE);
        }
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[random.nextInt(4096)];
            random.nextBytes(noise);
            parser.parse(noise);
        }
    }

    private static byte[] nested(int depth) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            s.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        }
        return s.append("Content-Type: text/plain\r\n\r\nuser unknown\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
