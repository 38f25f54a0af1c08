package io.sluice.daemon.egress;

import io.sluice.queue.DeliveryId;

import java.time.Instant;
import java.util.Map;

/**
 * One recipient of one spooled message, on its way out. The body is not here: it stays in the
 * spool and is read when a connection is ready to send it.
 *
 * @param attempts delivery attempts made so far
 */
public record Delivery(DeliveryId id, String sender, String recipient, String domain, Instant receivedAt,
                       int attempts, Map<String, String> attributes) {

    public Delivery nextAttempt() {
        return new Delivery(id, sender, recipient, domain, receivedAt, attempts + 1, attributes);
    }

    /** The routing domain of an address: what follows the last '@', lower-cased. */
    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        return domain.toLowerCase(java.util.Locale.ROOT);
    }
}
