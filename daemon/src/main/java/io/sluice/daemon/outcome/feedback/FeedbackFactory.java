package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.FeedbackSettings;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.sluice.daemon.config.ByteSize;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.daemon.outcome.tokens.SentMessages;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.BounceParser;
import io.sluice.protocol.feedback.FeedbackParser;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Builds the feedback loop's parts from settings: the suppression store, the classifier, the parsers. */
@Factory
final class FeedbackFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackFactory.class);
    static final String SOFT_BOUNCE_DIR = "sluice.hygiene.soft-bounce-dir";
    static final String SOFT_BOUNCE_MAX = "sluice.hygiene.soft-bounce-max-tracked";
    static final String MESSAGE_ID_INDEX = "sluice.feedback.message-id-index-size";
    static final String MESSAGE_ID_INDEX_DIR = "sluice.feedback.message-id-index-dir";

    @Singleton
    FeedbackSettings feedbackSettings(Environment env) {
        return FeedbackSettings.from(env);
    }

    /** {@code sluice.suppression.dir}, default {@code <sluice.spool.dir>/suppression}. */
    @Singleton
    @Bean(preDestroy = "close")
    SuppressionStore suppressionStore(Environment env, SpoolSettingsConfig spool, EventLog events, Clock clock) {
        Path dir = env.getProperty("sluice.suppression.dir", String.class).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(Path.of(spool.dir()).resolve("suppression")).toAbsolutePath();
        int expected = env.getProperty("sluice.suppression.expected-entries", Integer.class).orElse(100_000);
        if (expected < 0) {
            throw new ConfigException("sluice.suppression.expected-entries", String.valueOf(expected), "must be >= 0");
        }
        long minFree = env.getProperty("sluice.suppression.min-free", String.class)
                .map(v -> ByteSize.parse("sluice.suppression.min-free", v)).orElse(SuppressionStore.DEFAULT_MIN_FREE);
        SuppressionStore store = SuppressionStore.open(dir, clock, expected, change -> events.publish(Event.feedback(
                "Suppression", change.at(), null, null, change.key(), change.tenant(), change.action(),
                change.reason() == null ? null : change.reason().label(), change.source(), change.note(), null, null)),
                minFree);
        LOG.info("suppression store {}: {} entries, rebuilt in {} ms", dir, store.size(), store.rebuildMillis());
        return store;
    }

    /**
     * {@code sluice.hygiene.soft-bounce-dir} (default {@code <sluice.spool.dir>/hygiene}) and
     * {@code sluice.hygiene.soft-bounce-max-tracked} (recipients with a count, default 1,000,000).
     * Entries older than the longest soft-bounce window of any tenant are dropped at start.
     */
    @Singleton
    @Bean(preDestroy = "close")
    SoftBounceCounters softBounceCounters(Environment env, SpoolSettingsConfig spool, FeedbackSettings settings,
                                          Clock clock) {
        Path dir = env.getProperty(SOFT_BOUNCE_DIR, String.class).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(Path.of(spool.dir()).resolve("hygiene")).toAbsolutePath();
        int max = env.getProperty(SOFT_BOUNCE_MAX, Integer.class).orElse(HygienePolicy.MAX_TRACKED);
        if (max < 1) {
            throw new ConfigException(SOFT_BOUNCE_MAX, String.valueOf(max), "must be at least 1");
        }
        Duration horizon = settings.policy(null).softBounceWindow();
        for (String t : settings.knownTenants()) {
            Duration w = settings.policy(t).softBounceWindow();
            horizon = w.compareTo(horizon) > 0 ? w : horizon;
        }
        try {
            SoftBounceCounters c = SoftBounceCounters.open(dir, max, horizon, clock.instant());
            LOG.info("soft-bounce counters {}: {} recipients with a count", dir, c.tracked());
            return c;
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(SOFT_BOUNCE_DIR, dir.toString(), "cannot open the soft-bounce counters: " + e.getMessage());
        }
    }

    /**
     * {@code sluice.feedback.message-id-index-size}: recent Message-IDs kept for bounces without a
     * token (0: none, no file); {@code sluice.feedback.message-id-index-dir} (default
     * {@code <sluice.spool.dir>/feedback}): where they are kept across restarts.
     */
    @Singleton
    @Bean(preDestroy = "close")
    SentMessages sentMessages(Environment env, SpoolSettingsConfig spool) {
        int size = env.getProperty(MESSAGE_ID_INDEX, Integer.class).orElse(SentMessages.DEFAULT_CAPACITY);
        if (size < 0) {
            throw new ConfigException(MESSAGE_ID_INDEX, String.valueOf(size), "must be 0 (off) or more");
        }
        if (size == 0) {
            return new SentMessages(0);
        }
        Path dir = env.getProperty(MESSAGE_ID_INDEX_DIR, String.class).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(Path.of(spool.dir()).resolve("feedback")).toAbsolutePath();
        try {
            SentMessages sent = SentMessages.open(dir, size);
            LOG.info("Message-ID index {}: {} Message-IDs of mail sent before", dir, sent.size());
            return sent;
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(MESSAGE_ID_INDEX_DIR, dir.toString(), "cannot open the Message-ID index: " + e.getMessage());
        }
    }

    @Singleton
    BounceClassifier bounceClassifier() {
        return BounceClassifier.bundled();
    }

    @Singleton
    BounceParser bounceParser(BounceClassifier classifier) {
        return new BounceParser(classifier);
    }

    @Singleton
    FeedbackParser feedbackParser() {
        return new FeedbackParser();
    }
}
