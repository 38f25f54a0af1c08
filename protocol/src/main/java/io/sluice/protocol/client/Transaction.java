package io.sluice.protocol.client;

import java.util.List;
import java.util.Objects;

/**
 * One mail transaction (RFC 5321 §3.3).
 *
 * @param sender     the reverse-path without angle brackets; "" for the null sender {@code <>}
 * @param recipients forward-paths without angle brackets, at least one
 * @param content    the complete message with CRLF line endings, not dot-stuffed, without the
 *                   terminating dot; the client stuffs it on the wire and does not copy it
 */
public record Transaction(String sender, List<String> recipients, byte[] content) {
    public Transaction {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(content, "content");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs at least one recipient");
        }
        // A CR or LF in a path would let it smuggle commands into the session.
        checkPath(sender);
        for (String r : recipients) {
            if (r.isEmpty()) {
                throw new IllegalArgumentException("empty recipient");
            }
            checkPath(r);
        }
    }

    private static void checkPath(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < ' ' || c == 127 || c == '<' || c == '>') {
                throw new IllegalArgumentException("path contains a control character or angle bracket: " + path);
            }
        }
    }
}
