package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.FeedbackSettings;

import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.protocol.bounce.BounceCategory;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.SmtpCommand;
import io.sluice.protocol.smtp.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HygienePolicyTest {
    private static FeedbackSettings.Policy policy(int softLimit) {
        return new FeedbackSettings.Policy(true, true, softLimit, Duration.ofDays(7), Duration.ofDays(30),
                EnumSet.of(BounceCategory.QUOTA_ISSUES, BounceCategory.SUSPENDED_MAILBOX), null, false);
    }

    private static HygienePolicy hygiene(SuppressionStore store) {
        FeedbackSettings settings = new FeedbackSettings(policy(3), Map.of("lenient", policy(0)), null, null, null,
                null, null);
        return new HygienePolicy(store, settings, BounceClassifier.bundled(), Clock.systemUTC());
    }

    @Test
    void hardBounceAboutTheMailboxSuppresses(@TempDir Path dir) {
        try (SuppressionStore store = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            var c = hygiene(store).afterReply("default", "gone@example.test",
                    SmtpReply.of(550, "5.1.1", "<gone@example.test>: Recipient address rejected: User unknown"), null);
            assertEquals(BounceCategory.BAD_MAILBOX, c.category());
            assertEquals(SuppressionReason.HARD_BOUNCE, store.lookup("default", "gone@example.test").orElseThrow().reason());
        }
    }

    @Test
    void blockListPolicyAndThrottlingRepliesNeverSuppress(@TempDir Path dir) {
        try (SuppressionStore store = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            HygienePolicy h = hygiene(store);
            for (int i = 0; i < 10; i++) {
                h.afterReply("default", "a@example.test", SmtpReply.of(554, "5.7.1",
                        "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"), null);
                h.afterReply("default", "a@example.test", SmtpReply.of(421, "4.7.0",
                        "[TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints"), null);
                h.afterReply("default", "a@example.test", SmtpReply.of(550, "5.7.26",
                        "Unauthenticated email from example.test is not accepted due to domain's DMARC policy"), null);
            }
            assertFalse(store.isSuppressed("default", "a@example.test"));
        }
    }

    @Test
    void repeatedSoftBouncesSuppressForAWhileUnlessTheTenantOptsOut(@TempDir Path dir) {
        try (SuppressionStore store = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            HygienePolicy h = hygiene(store);
            SmtpReply full = SmtpReply.of(452, "4.2.2", "The email account that you tried to reach is over quota");
            h.afterReply("default", "full@example.test", full, "m1/0");
            h.afterReply("default", "full@example.test", full, "m1/0");
            h.afterReply("default", "full@example.test", full, "m1/0");
            assertFalse(store.isSuppressed("default", "full@example.test"), "retries of one delivery count once");
            h.afterReply("default", "full@example.test", full, "m2/0");
            assertFalse(store.isSuppressed("default", "full@example.test"));
            h.afterReply("default", "full@example.test", full, "m3/0");
            var e = store.lookup("default", "full@example.test").orElseThrow();
            assertEquals(SuppressionReason.REPEATED_SOFT_BOUNCE, e.reason());
            assertTrue(e.expires() != null);
            for (int i = 0; i < 5; i++) {
                h.afterReply("lenient", "full@example.test", full, "m" + i + "/0");
            }
            assertFalse(store.isSuppressed("lenient", "full@example.test"));
        }
    }

    @Test
    void aMailboxStatusWithWordsThatDoNotSayWhyCountsTowardsN(@TempDir Path dir) {
        try (SuppressionStore store = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            HygienePolicy h = hygiene(store);
            SmtpReply rejected = SmtpReply.of(550, "5.1.1", "Address rejected");
            var c = h.afterReply("default", "vague@example.test", rejected, "m1/0", SmtpCommand.RCPT);
            assertTrue(c.hard(), c.toString());
            assertFalse(c.conclusive(), "the status says mailbox, the words do not agree or disagree");
            assertFalse(store.isSuppressed("default", "vague@example.test"), "one such bounce is not enough");
        }
    }

    @Test
    void aHardVerdictOnWordsAloneCountsTowardsNInsteadOfSuppressingAtOnce(@TempDir Path dir) {
        try (SuppressionStore store = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            HygienePolicy h = hygiene(store);
            SmtpReply noSuchUser = SmtpReply.of(550, null, "No such user here");
            var c = h.afterReply("default", "maybe@example.test", noSuchUser, "m1/0", SmtpCommand.RCPT);
            assertTrue(c.hard(), "Sisimai calls it userunknown, hard");
            assertFalse(c.conclusive(), "but words without a status are what filters say too");
            assertFalse(store.isSuppressed("default", "maybe@example.test"), "so one bounce is not enough");
            h.afterReply("default", "maybe@example.test", noSuchUser, "m2/0", SmtpCommand.RCPT);
            h.afterReply("default", "maybe@example.test", noSuchUser, "m3/0", SmtpCommand.RCPT);
            assertEquals(SuppressionReason.REPEATED_SOFT_BOUNCE, store.lookup("default", "maybe@example.test").orElseThrow().reason(),
                    "the third bounce about the recipient (N = 3) suppresses");
        }
    }

    @Test
    void aBounceTiedOnlyByMessageIdNeverSuppressesOnItsOwn(@TempDir Path dir) {
        try (SuppressionStore store = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            HygienePolicy h = hygiene(store);
            var conclusive = BounceClassifier.bundled().classify(SmtpReply.of(550, "5.1.1",
                    "<gone@example.test>: Recipient address rejected: User unknown in local recipient table"));
            assertTrue(conclusive.conclusive());
            assertNull(h.bounced("default", "gone@example.test", conclusive, true, "oob", "dsn", "m1#0", HygienePolicy.Link.MESSAGE_ID),
                    "a Message-ID can be forged by anyone who saw the message");
            assertFalse(store.isSuppressed("default", "gone@example.test"));
            assertEquals(1, h.counters().count("default", "gone@example.test", Duration.ofDays(7), Instant.now()), "it counts towards N");
            assertEquals(SuppressionReason.HARD_BOUNCE,
                    h.bounced("default", "gone@example.test", conclusive, true, "oob", "dsn", "m2#0", HygienePolicy.Link.TOKEN),
                    "the same verdict through a genuine token suppresses at once");
        }
    }

    @Test
    void onlyRecipientReasonsCountEvenWhenTheTenantCountsMoreCategories(@TempDir Path dir) {
        try (SuppressionStore store = SuppressionStore.open(dir, Clock.systemUTC(), 16, null)) {
            FeedbackSettings.Policy broad = new FeedbackSettings.Policy(true, true, 2, Duration.ofDays(7), Duration.ofDays(30),
                    EnumSet.allOf(BounceCategory.class), null, false);
            HygienePolicy h = new HygienePolicy(store, new FeedbackSettings(broad, Map.of(), null, null, null, null, null),
                    BounceClassifier.bundled(), Clock.systemUTC());
            for (int i = 0; i < 5; i++) {
                h.afterReply("default", "b@example.test", SmtpReply.of(550, "5.7.1", "Message rejected as spam by content filter"), "s" + i);
                h.afterReply("default", "b@example.test", SmtpReply.of(451, "4.7.650",
                        "The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation"), "r" + i);
                h.afterReply("default", "b@example.test", SmtpReply.of(550, "5.7.1", "Delivery not authorized, message refused"), "p" + i);
            }
            assertFalse(store.isSuppressed("default", "b@example.test"), "content, rate limits and policy are about us");
            assertEquals(0, h.counters().tracked());
        }
    }

    @Test
    void countsSurviveARestart(@TempDir Path dir) throws Exception {
        Path counters = dir.resolve("hygiene");
        Instant now = Instant.now();
        try (SuppressionStore store = SuppressionStore.open(dir.resolve("s"), Clock.systemUTC(), 16, null)) {
            SmtpReply full = SmtpReply.of(452, "4.2.2", "The email account that you tried to reach is over quota");
            try (SoftBounceCounters c = SoftBounceCounters.open(counters, 1000, Duration.ofDays(7), now)) {
                HygienePolicy h = hygiene(store, c);
                h.afterReply("default", "full@example.test", full, "m1/0");
                h.afterReply("default", "full@example.test", full, "m2/0");
            }
            try (SoftBounceCounters c = SoftBounceCounters.open(counters, 1000, Duration.ofDays(7), now)) {
                assertEquals(2, c.count("default", "full@example.test", Duration.ofDays(7), Instant.now()), "read back after a restart");
                HygienePolicy h = hygiene(store, c);
                h.afterReply("default", "full@example.test", full, "m2/0");
                assertFalse(store.isSuppressed("default", "full@example.test"), "a delivery counted before the restart counts once");
                h.afterReply("default", "full@example.test", full, "m3/0");
                assertTrue(store.isSuppressed("default", "full@example.test"), "the third bounce, two of them before the restart");
            }
            try (SoftBounceCounters c = SoftBounceCounters.open(counters, 1000, Duration.ofDays(7), now)) {
                assertEquals(0, c.count("default", "full@example.test", Duration.ofDays(7), Instant.now()),
                        "a suppression starts the count again, also on disk");
            }
        }
    }

    @Test
    void countsOlderThanTheLongestWindowAreDroppedAtStart(@TempDir Path dir) throws Exception {
        Instant then = Instant.parse("2024-01-01T00:00:00Z");
        try (SoftBounceCounters c = SoftBounceCounters.open(dir, 1000, Duration.ofDays(7), then)) {
            c.record(new SoftBounceCounters.SoftBounce("default", "old@example.test", then, "m1/0"), Duration.ofDays(7));
        }
        try (SoftBounceCounters c = SoftBounceCounters.open(dir, 1000, Duration.ofDays(7), then.plus(Duration.ofDays(8)))) {
            assertEquals(0, c.tracked());
        }
    }

    @Test
    void aCountsFileWithBytesThatAreNoUtf8StillOpensAndKeepsItsGoodLines(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        try (SoftBounceCounters c = SoftBounceCounters.open(dir, 1000, Duration.ofDays(7), now)) {
            c.record(new SoftBounceCounters.SoftBounce("default", "full@example.test", now, "m1/0"), Duration.ofDays(7));
        }
        java.nio.file.Files.write(dir.resolve("soft-bounces.log"), new byte[]{(byte) 0xc3, (byte) 0x28, '\t', (byte) 0xff, '\n'},
                java.nio.file.StandardOpenOption.APPEND);
        try (SoftBounceCounters c = SoftBounceCounters.open(dir, 1000, Duration.ofDays(7), now)) {
            assertEquals(1, c.count("default", "full@example.test", Duration.ofDays(7), Instant.now()));
        }
    }

    private static HygienePolicy hygiene(SuppressionStore store, SoftBounceCounters counters) {
        FeedbackSettings settings = new FeedbackSettings(policy(3), Map.of(), null, null, null, null, null);
        return new HygienePolicy(store, settings, BounceClassifier.bundled(), Clock.systemUTC(), counters);
    }
}
