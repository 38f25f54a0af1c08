package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.EventSettings;
import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.daemon.outcome.tokens.ReturnPaths;
import io.sluice.daemon.outcome.tokens.SentMessages;
import io.sluice.protocol.bounce.BounceCategory;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.BounceParser;
import io.sluice.protocol.feedback.FeedbackParser;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 4: a DSN that carries no delivery token (the receiver dropped our VERP return path
 * and the trace header) is tied to its delivery through the original header section in its third
 * part: our Message-ID, our From and a failed recipient we sent it to. Such a match can be forged
 * by anyone who saw the message, so it counts towards N and never suppresses on one bounce, however
 * conclusive the verdict.
 */
class FeedbackInboxMessageIdTest {
    private static final String BOUNCE_DOMAIN = "bounces.example.test";
    private static final String FBL = "fbl@" + BOUNCE_DOMAIN;

    @TempDir
    Path dir;
    private Spool spool;
    private SuppressionStore store;
    private EventLog events;
    private HygienePolicy hygiene;
    private SentMessages sent;
    private FeedbackSettings settings;
    private FeedbackInbox inbox;

    @BeforeEach
    void open() throws Exception {
        FeedbackSettings.Policy policy = new FeedbackSettings.Policy(true, true, 2, Duration.ofDays(7), Duration.ofDays(30),
                EnumSet.of(BounceCategory.QUOTA_ISSUES), BOUNCE_DOMAIN, false);
        settings = new FeedbackSettings(policy, Map.of(), "test-secret-0123456789", "X-Sluice-Trace",
                FBL, null, BOUNCE_DOMAIN);
        spool = Spool.open(SpoolSettings.defaults(dir.resolve("spool")).withMinFreeBytes(0));
        store = SuppressionStore.open(dir.resolve("suppression"), Clock.systemUTC(), 16, null);
        events = new EventLog(new EventSettings(dir.resolve("events.jsonl").toString(), 1 << 20, Duration.ofDays(1), 2,
                1000, Duration.ofSeconds(1), 0), Clock.systemUTC());
        hygiene = new HygienePolicy(store, settings, BounceClassifier.bundled(), Clock.systemUTC());
        sent = new SentMessages(16);
        inbox = new FeedbackInbox(settings, new ReturnPaths(settings, spool), new BounceParser(), new FeedbackParser(),
                hygiene, events, Clock.systemUTC(), sent);
    }

    @AfterEach
    void close() throws Exception {
        events.close();
        store.close();
        spool.close();
    }

    private static byte[] ours(String messageId) {
        return ("From: News <news@sender.test>\r\nTo: list@sender.test\r\nMessage-ID: " + messageId
                + "\r\nSubject: news\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /* A Sendmail-style DSN to our feedback address: no VERP, no trace header, our headers quoted in the third part. */
    private static byte[] dsn(String recipient, String quotedMessageId, String quotedFrom) {
        return ("""
                From: Mail Delivery Subsystem <MAILER-DAEMON@mx.dest.test>
                To: fbl@bounces.example.test
                Subject: Returned mail: see transcript for details
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/plain

                The original message was received from sender.test.

                   ----- Transcript of session follows -----
                ... while talking to mx.dest.test.:
                >>> RCPT To:<%1$s>
                <<< 550 5.1.1 <%1$s>... User Unknown
                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.dest.test

                Final-Recipient: RFC822; %1$s
                Action: failed
                Status: 5.1.1
                Remote-MTA: DNS; mx.dest.test
                Diagnostic-Code: SMTP; 550 5.1.1 <%1$s>... User Unknown

                --B
                Content-Type: text/rfc822-headers

                From: %3$s
                To: list@sender.test
                Message-ID: %2$s
                Subject: news

                --B--
                """.formatted(recipient, quotedMessageId, quotedFrom)).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private int count(String recipient) {
        return hygiene.counters().count("default", recipient, Duration.ofDays(7), Instant.now());
    }

    @Test
    void aConclusiveHardBounceMatchedOnlyByMessageIdCountsButDoesNotSuppress() {
        sent.sent(ours("<news-1@sender.test>"), "spool-1", 0, "default", "gone@dest.test");
        assertEquals(FeedbackInbox.Route.INBOX, inbox.route(FBL));
        inbox.receive(List.of(FBL), "", dsn("gone@dest.test", "<news-1@sender.test>", "news@sender.test"), "192.0.2.9");
        assertFalse(store.isSuppressed("default", "gone@dest.test"), "a Message-ID can be forged: one bounce never suppresses");
        assertEquals(1, count("gone@dest.test"), "the bounce is tied to its delivery and counts towards N");

        // a second delivery's bounce (another message we sent) reaches N = 2: suppressed, as repeated, not as hard
        sent.sent(ours("<news-2@sender.test>"), "spool-2", 0, "default", "gone@dest.test");
        inbox.receive(List.of(FBL), "", dsn("gone@dest.test", "<news-2@sender.test>", "news@sender.test"), "192.0.2.9");
        assertTrue(store.isSuppressed("default", "gone@dest.test"));
        assertEquals(SuppressionReason.REPEATED_SOFT_BOUNCE, store.lookup("default", "gone@dest.test").orElseThrow().reason());
    }

    @Test
    void theQuotedHeadersMustBeOursAndTheRecipientOneWeSentTo() {
        sent.sent(ours("<news-3@sender.test>"), "spool-3", 0, "default", "carol@dest.test");
        // our Message-ID with a From we did not send
        inbox.receive(List.of(FBL), "", dsn("carol@dest.test", "<news-3@sender.test>", "someone@elsewhere.test"), "192.0.2.9");
        // our Message-ID and From, but a recipient that message never went to
        inbox.receive(List.of(FBL), "", dsn("mallory@dest.test", "<news-3@sender.test>", "news@sender.test"), "192.0.2.9");
        // a Message-ID we never sent
        inbox.receive(List.of(FBL), "", dsn("carol@dest.test", "<unknown-9@sender.test>", "news@sender.test"), "192.0.2.9");
        assertEquals(0, count("carol@dest.test"));
        assertEquals(0, count("mallory@dest.test"));
        assertFalse(store.isSuppressed("default", "carol@dest.test"));
        assertFalse(store.isSuppressed("default", "mallory@dest.test"));
    }

    @Test
    void aBounceOfMailSentBeforeARestartIsStillTiedToItsDelivery() throws Exception {
        Path indexDir = dir.resolve("feedback");
        try (SentMessages before = SentMessages.open(indexDir, 16)) {
            before.sent(ours("<news-4@sender.test>"), "spool-4", 0, "default", "dora@dest.test");
        }
        try (SentMessages after = SentMessages.open(indexDir, 16)) {
            FeedbackInbox restarted = new FeedbackInbox(settings, new ReturnPaths(settings, spool), new BounceParser(),
                    new FeedbackParser(), hygiene, events, Clock.systemUTC(), after);
            restarted.receive(List.of(FBL), "", dsn("dora@dest.test", "<news-4@sender.test>", "news@sender.test"), "192.0.2.9");
        }
        assertEquals(1, count("dora@dest.test"), "tied to its delivery through the index read back from disk");
        assertFalse(store.isSuppressed("default", "dora@dest.test"));
    }
}
