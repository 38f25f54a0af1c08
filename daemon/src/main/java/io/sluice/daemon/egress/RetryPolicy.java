package io.sluice.daemon.egress;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to try again after a transient failure: exponential backoff with jitter, and a deadline
 * after which the delivery expires. Jitter keeps a burst of deferrals (a destination that was
 * down) from coming back as one burst.
 */
public record RetryPolicy(Duration initial, double multiplier, Duration max, double jitter, Duration maxAge) {

    /** The delay before attempt {@code attemptsSoFar + 1}. */
    public Duration delayAfter(int attemptsSoFar, RandomGenerator random) {
        double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attemptsSoFar - 1));
        double capped = Math.min(base, max.toMillis());
        double factor = 1.0 + (random.nextDouble() * 2 - 1) * jitter;
        return Duration.ofMillis(Math.max(1, Math.round(capped * factor)));
    }

    public Instant deadline(Instant receivedAt) {
        return receivedAt.plus(maxAge);
    }
}
