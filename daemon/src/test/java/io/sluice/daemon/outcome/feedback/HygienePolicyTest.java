package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.FeedbackSettings;

import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.protocol.bounce.BounceCategory;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.smtp.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
