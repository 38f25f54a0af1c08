package io.sluice.daemon.engagement.history;

import java.time.Instant;

/**
 * A delivered recipient of tracked mail: what an open or click token (which names no address)
 * is tied to. {@code campaign} may be null.
 */
public record TrackedDelivery(String messageId, int recipientIndex, String tenant, String campaign,
                              String recipient, Instant deliveredAt) {
}
