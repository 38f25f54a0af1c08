package io.sluice.queue;

import java.util.Objects;

/** One delivery: one recipient (an index into {@link Envelope#recipients()}) of one message. */
public record DeliveryId(MessageId message, int recipient) {
    public DeliveryId {
        Objects.requireNonNull(message, "message");
        if (recipient < 0) {
            throw new IllegalArgumentException("recipient index < 0: " + recipient);
        }
    }
}
