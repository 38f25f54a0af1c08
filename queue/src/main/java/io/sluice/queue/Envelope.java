package io.sluice.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Who a message is from and to, when it arrived, and free-form attributes (tenant, campaign...). */
public record Envelope(String sender, List<String> recipients, Instant receivedAt, Map<String, String> attributes) {
    public Envelope {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receivedAt, "receivedAt");
        recipients = List.copyOf(recipients);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
    }
}
