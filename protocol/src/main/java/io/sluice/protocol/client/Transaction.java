package io.sluice.protocol.client;

import java.util.List;
import java.util.Objects;

/**
 * One mail transaction (RFC 5321 §3.3).
 *
 * @param sender     the reverse-path without angle brackets; "" for the null sender {@code <>}
 * @param recipients forward-paths without angle brackets, at least one
 * @param prefix     bytes sent before {@code content} as if they were part of it (e.g. per-delivery
 *                   header fields such as a DKIM-Signature), so that prepending a few hundred bytes
 *                   to a large spooled message costs no copy of the message; empty for none
 * @param content    the complete message with CRLF line endings, not dot-stuffed, without the
 *                   terminating dot; the client stuffs it on the wire and does not copy it
 */
public record Transaction(String sender, List<String> recipients, byte[] prefix, byte[] content) {
    private static final byte[] NONE = new byte[0];

    public Transaction {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(content, "content");
        prefix = prefix == null ? NONE : prefix;
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

    /** A transaction without a prefix. */
    public Transaction(String sender, List<String> recipients, byte[] content) {
        this(sender, recipients, NONE, content);
    }

    /** Octets of the message as sent: prefix plus content (the SIZE= value, RFC 1870). */
    public long size() {
        return (long) prefix.length + content.length;
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
