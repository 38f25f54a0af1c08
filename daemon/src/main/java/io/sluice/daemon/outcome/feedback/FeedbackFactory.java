package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.FeedbackSettings;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.BounceParser;
import io.sluice.protocol.feedback.FeedbackParser;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/** Builds the feedback loop's parts from settings: the suppression store, the classifier, the parsers. */
@Factory
final class FeedbackFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackFactory.class);

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
        SuppressionStore store = SuppressionStore.open(dir, clock, expected, change -> events.publish(Event.feedback(
                "Suppression", change.at(), null, null, change.key(), change.tenant(), change.action(),
                change.reason() == null ? null : change.reason().label(), change.source(), change.note(), null, null)));
        LOG.info("suppression store {}: {} entries, rebuilt in {} ms", dir, store.size(), store.rebuildMillis());
        return store;
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
