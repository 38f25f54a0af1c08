package io.sluice.daemon.outcome.tokens;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The recent messages sent, by their Message-ID header field: what a bounce without a delivery
 * token (no VERP return path, no trace header: the receiver rewrote or dropped them) can still be
 * tied to, through the original header section in the DSN's third part (RFC 3462
 * {@code text/rfc822-headers} or {@code message/rfc822}). Written at send time by
 * {@link DeliveryHeaders}; bounded: the oldest Message-IDs go first. Memory only: after a restart
 * only bounces of mail sent since are matched.
 *
 * <p>A match is never proof: anyone who saw the message knows its Message-ID. The feedback loop
 * therefore counts such a bounce towards N and never suppresses on it alone.
 */
public final class SentMessages {
    /** Default number of Message-IDs kept ({@code sluice.feedback.message-id-index-size}). */
    public static final int DEFAULT_CAPACITY = 200_000;

    private record Recipient(String address, int index) {
    }

    private static final class Sent {
        final String messageId;
        final String tenant;
        final String from;
        final List<Recipient> recipients = new ArrayList<>(1);

        Sent(String messageId, String tenant, String from) {
            this.messageId = messageId;
            this.tenant = tenant;
            this.from = from;
        }
    }

    private final int capacity;
    private final Map<String, Sent> byMessageId = new ConcurrentHashMap<>();
    private final Queue<String> age = new ConcurrentLinkedQueue<>();

    public SentMessages(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /**
     * Notes one delivery of a message at send time.
     *
     * @param message the spooled message (its header section is read for Message-ID and From)
     */
    public void sent(byte[] message, String spoolMessageId, int recipientIndex, String tenant, String recipient) {
        String id = normalise(field(message, "message-id"));
        if (id == null) {
            return;
        }
        Sent s = byMessageId.computeIfAbsent(id, k -> {
            age.add(k);
            return new Sent(spoolMessageId, tenant, address(field(message, "from")));
        });
        synchronized (s) {
            if (s.recipients.size() < 1000 && s.recipients.stream().noneMatch(r -> r.index() == recipientIndex)) {
                s.recipients.add(new Recipient(recipient.toLowerCase(Locale.ROOT), recipientIndex));
            }
        }
        while (byMessageId.size() > capacity) {
            String oldest = age.poll();
            if (oldest == null) {
                break;
            }
            byMessageId.remove(oldest);
        }
    }

    /**
     * The delivery a bounce's original header section points at: its Message-ID was sent by us, one of
     * the failed recipients is one it was sent to, and its From (when both have one) is the one we sent.
     */
    public Optional<ReturnPaths.Resolved> find(byte[] originalHeaders, Collection<String> failedRecipients) {
        if (originalHeaders == null || originalHeaders.length == 0) {
            return Optional.empty();
        }
        String id = normalise(field(originalHeaders, "message-id"));
        Sent s = id == null ? null : byMessageId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        String from = address(field(originalHeaders, "from"));
        if (from != null && s.from != null && !from.equals(s.from)) {
            return Optional.empty();
        }
        synchronized (s) {
            for (String f : failedRecipients) {
                if (f == null) {
                    continue;
                }
                String a = f.strip().toLowerCase(Locale.ROOT);
                for (Recipient r : s.recipients) {
                    if (r.address().equals(a)) {
                        return Optional.of(new ReturnPaths.Resolved(s.tenant, r.address(), s.messageId, r.index()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Message-IDs held. */
    public int size() {
        return byMessageId.size();
    }

    private static String normalise(String messageId) {
        if (messageId == null) {
            return null;
        }
        String m = messageId.strip();
        int lt = m.indexOf('<');
        int gt = m.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) {
            m = m.substring(lt + 1, gt);
        }
        // RFC 5322 §3.6.4: the id is compared as given; case is folded because relays do fold it
        return m.isEmpty() || m.length() > 998 ? null : m.toLowerCase(Locale.ROOT);
    }

    private static String address(String from) {
        if (from == null) {
            return null;
        }
        int lt = from.lastIndexOf('<');
        int gt = from.lastIndexOf('>');
        String a = lt >= 0 && gt > lt ? from.substring(lt + 1, gt) : from;
        a = a.strip().toLowerCase(Locale.ROOT);
        return a.indexOf('@') > 0 ? a : null;
    }

    /** The unfolded value of the first header field named {@code name} (lower case), or null. */
    static String field(byte[] message, String name) {
        int n = Math.min(message.length, 64 * 1024);
        int i = 0;
        while (i < n) {
            int end = i;
            while (end < n && message[end] != '\n') {
                end++;
            }
            int lineEnd = end > i && message[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd == i) {
                return null; // the empty line: end of the header section
            }
            if (lineEnd - i > name.length() && message[i + name.length()] == ':'
                    && new String(message, i, name.length(), StandardCharsets.ISO_8859_1).equalsIgnoreCase(name)) {
                StringBuilder v = new StringBuilder(new String(message, i + name.length() + 1, lineEnd - i - name.length() - 1,
                        StandardCharsets.ISO_8859_1));
                int next = end + 1;
                while (next < n && (message[next] == ' ' || message[next] == '\t')) {
                    int e2 = next;
                    while (e2 < n && message[e2] != '\n') {
                        e2++;
                    }
                    v.append(' ').append(new String(message, next, e2 - next, StandardCharsets.ISO_8859_1).strip());
                    next = e2 + 1;
                }
                return v.toString().strip();
            }
            i = end + 1;
        }
        return null;
    }
}
