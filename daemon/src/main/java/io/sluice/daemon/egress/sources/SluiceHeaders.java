package io.sluice.daemon.egress.sources;

import io.sluice.queue.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Envelope attributes from the submitter's headers: {@code X-Sluice-Tenant}, {@code X-Sluice-Campaign},
 * {@code X-Sluice-Pool} and {@code X-Sluice-Class} ("transactional") become the attributes
 * "tenant", "campaign", "pool" and "class", unless the envelope already has them (the HTTP API
 * sets them directly). The headers stay in the message.
 */
public final class SluiceHeaders {
    private static final Map<String, String> NAMES = Map.of("x-sluice-tenant", "tenant",
            "x-sluice-campaign", "campaign", "x-sluice-pool", "pool", "x-sluice-class", "class");

    private SluiceHeaders() {
    }

    public static Envelope withAttributes(Envelope envelope, byte[] message) {
        Map<String, String> found = null;
        int i = 0;
        int n = message.length;
        while (i < n) {
            int end = i;
            while (end < n && message[end] != '\n') {
                end++;
            }
            int lineEnd = end > i && message[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd == i) {
                break; // the empty line ends the header section
            }
            if (message[i] == 'X' || message[i] == 'x') {
                int colon = -1;
                for (int j = i; j < lineEnd; j++) {
                    if (message[j] == ':') {
                        colon = j;
                        break;
                    }
                }
                if (colon > 0) {
                    String name = new String(message, i, colon - i, StandardCharsets.US_ASCII).strip()
                            .toLowerCase(Locale.ROOT);
                    String attribute = NAMES.get(name);
                    if (attribute != null && !envelope.attributes().containsKey(attribute)) {
                        String value = new String(message, colon + 1, lineEnd - colon - 1, StandardCharsets.UTF_8).strip();
                        if (!value.isEmpty() && value.length() <= 64) {
                            if (found == null) {
                                found = new HashMap<>(envelope.attributes());
                            }
                            found.put(attribute, value);
                        }
                    }
                }
            }
            i = end + 1;
        }
        return found == null ? envelope
                : new Envelope(envelope.sender(), envelope.recipients(), envelope.receivedAt(), found);
    }
}
