package io.sluice.daemon.engagement;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.outcome.tokens.ReturnPaths;
import jakarta.inject.Singleton;

/** Builds tracking's parts from settings; signs with the same secret as VERP ({@code sluice.bounce.secret}). */
@Factory
final class TrackingFactory {

    @Singleton
    TrackingSettings trackingSettings(Environment env, FeedbackSettings feedback) {
        return TrackingSettings.from(env, feedback.secret() != null);
    }

    @Singleton
    TrackingTokens trackingTokens(ReturnPaths returnPaths) {
        return new TrackingTokens(returnPaths.signer());
    }

    @Singleton
    TrackingRewriter trackingRewriter(TrackingSettings settings, TrackingTokens tokens, FeedbackSettings feedback) {
        return new TrackingRewriter(settings, tokens, feedback.unsubscribeUrl());
    }
}
