package io.sluice.daemon.outcome.rates;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of the most recent deliveries by message id and recipient index, so a complaint or
 * unsubscribe (which names the delivery through its token, days later) is counted where the
 * mail went. Bounded: the oldest go first. Thread-safe.
 */
final class RecentDeliveries {
    private final Map<String, RateKey> byDelivery;

    RecentDeliveries(int capacity) {
        this.byDelivery = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RateKey> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void delivered(String messageId, int recipientIndex, RateKey key) {
        byDelivery.put(id(messageId, recipientIndex), key);
    }

    /** The key the delivery was counted under, or null when it is not remembered. */
    synchronized RateKey of(String messageId, int recipientIndex) {
        return byDelivery.get(id(messageId, recipientIndex));
    }

    private static String id(String messageId, int recipientIndex) {
        return messageId.toUpperCase(java.util.Locale.ROOT) + "#" + recipientIndex;
    }
}
