package io.sluice.queue;

import java.time.Instant;
import java.util.Map;

/**
 * A delivery that has no final outcome yet, as the scheduler needs it after a restart.
 * {@code nextAttemptAt} is null when it was never deferred (try now); {@code attempts} counts
 * the deferrals journaled so far.
 */
public record LiveDelivery(DeliveryId id, String sender, String recipient, Instant receivedAt, int attempts,
                           Instant nextAttemptAt, Map<String, String> attributes) {}
