package io.sluice.dkim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which header fields a signature covers when the identity does not list them: the h= list is
 * chosen per message from what the message actually carries.
 *
 * <p>Over-signing (RFC 6376 §5.4.2, §8.15): a name listed once more than it occurs makes the
 * verifier hash "no such field" for the extra entry, so a copy added in transit — a second From
 * or Subject shown to the reader instead of ours — breaks the signature.
 */
public final class SignedHeaders {

    /**
     * Always over-signed, even when absent: RFC 6376 §5.4.1's core list of what the reader sees or
     * what changes how the body is read. Signing an absent Reply-To stops one being added.
     */
    static final List<String> ALWAYS = List.of(
            "from", "reply-to", "subject", "date", "to", "cc", "message-id", "mime-version",
            "content-type", "content-transfer-encoding", "in-reply-to", "references");

    /**
     * Over-signed when present, not mentioned when absent: mailing lists legitimately add List-*
     * fields to mail that had none. RFC 8058 §4 requires List-Unsubscribe and
     * List-Unsubscribe-Post to be signed for one-click unsubscribe.
     */
    static final List<String> WHEN_PRESENT = List.of(
            "list-unsubscribe", "list-unsubscribe-post", "list-id", "list-help", "list-subscribe",
            "list-post", "list-owner", "list-archive", "sender", "content-id", "content-description",
            "resent-date", "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-message-id",
            "feedback-id");

    private SignedHeaders() {
    }

    /** The default h= list for a message with this header section (CRLF bytes, as sent). */
    public static List<String> forMessage(byte[] headerBlock) {
        return defaultsFor(HeaderField.parse(headerBlock));
    }

    static List<String> defaultsFor(List<HeaderField> fields) {
        Map<String, Integer> count = new HashMap<>();
        for (HeaderField f : fields) {
            count.merge(f.name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        List<String> h = new ArrayList<>();
        for (String name : ALWAYS) {
            repeat(h, name, count.getOrDefault(name, 0) + 1);
        }
        for (String name : WHEN_PRESENT) {
            int n = count.getOrDefault(name, 0);
            if (n > 0) {
                repeat(h, name, n + 1);
            }
        }
        return h;
    }

    private static void repeat(List<String> h, String name, int times) {
        for (int i = 0; i < times; i++) {
            h.add(name);
        }
    }
}
