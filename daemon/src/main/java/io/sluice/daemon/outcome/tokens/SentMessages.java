package io.sluice.daemon.outcome.tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * {@link DeliveryHeaders}; bounded: the oldest Message-IDs go first.
 *
 * <p>{@link #open} keeps it across restarts in a journal ({@link SentMessagesJournal}): the send
 * path only queues the delivery, a writer thread appends what was queued every second without
 * fsync, so a crash loses at most the last second's entries (a power cut what the kernel had not
 * yet written back). In cluster mode each delivery is also handed to the {@link Share} (see
 * {@code cluster.ClusterSentMessages}) and the other nodes' arrive through {@link #applyShared},
 * so a bounce received by any node finds mail any node sent.
 *
 * <p>A match is never proof: anyone who saw the message knows its Message-ID. The feedback loop
 * therefore counts such a bounce towards N and never suppresses on it alone.
 */
public final class SentMessages implements AutoCloseable {
    /** Default number of Message-IDs kept ({@code sluice.feedback.message-id-index-size}). */
    public static final int DEFAULT_CAPACITY = 200_000;
    /** Deliveries kept per Message-ID: a bound for one message sent to a whole list. */
    static final int MAX_RECIPIENTS = 1000;

    /** Where this node's deliveries go to be shared; {@link #LOCAL} keeps them here. */
    public interface Share {
        Share LOCAL = d -> {
        };

        /** Called on the sending thread for each new delivery: must not block. */
        void sent(SentDelivery delivery);
    }

    /** The deliveries of one Message-ID, in the order they were noted. */
    private static final class Sent {
        final List<SentDelivery> deliveries = new ArrayList<>(1);
    }

    private final int capacity;
    private final Map<String, Sent> byMessageId = new ConcurrentHashMap<>();
    private final Queue<String> age = new ConcurrentLinkedQueue<>();
    private volatile SentMessagesJournal journal;
    private volatile Share share = Share.LOCAL;

    /** An index in memory only (tests, tools); {@code capacity} 0 keeps nothing. */
    public SentMessages(int capacity) {
        this.capacity = Math.max(0, capacity);
    }

    /**
     * The index kept in {@code dir} ({@value SentMessagesJournal#FILE}): replays the journal (a
     * torn or corrupt record is skipped and logged), keeps the newest {@code capacity} Message-IDs,
     * rewrites the file with them and starts the writer thread.
     */
    public static SentMessages open(Path dir, int capacity) throws IOException {
        return open(dir, capacity, SentMessagesJournal.COMPACT_MARGIN);
    }

    /** @param margin lines appended beyond those last rewritten before the file is rewritten again (tests) */
    static SentMessages open(Path dir, int capacity, long margin) throws IOException {
        SentMessages index = new SentMessages(capacity);
        SentMessagesJournal j = new SentMessagesJournal(dir.resolve(SentMessagesJournal.FILE), index::live, margin);
        j.replay(index::add);
        j.start();
        index.journal = j;
        return index;
    }

    /** Runs the journal writer's step now: what is queued is written, or the file rewritten when due (tests). */
    void writeQueued() {
        SentMessagesJournal j = journal;
        if (j != null) {
            j.writeQueued();
        }
    }

    /** Lines in the journal's file, or 0 in memory only (tests). */
    long journalLines() {
        SentMessagesJournal j = journal;
        return j == null ? 0 : j.lines();
    }

    /** Shares this node's deliveries from now on (cluster mode); null: stop sharing. */
    public void shareWith(Share share) {
        this.share = share == null ? Share.LOCAL : share;
    }

    /**
     * Notes one delivery of a message at send time: only memory is touched here, the journal and
     * the cluster get it from a queue. A retry of a delivery already noted changes nothing.
     *
     * @param message the spooled message (its header section is read for Message-ID and From)
     */
    public void sent(byte[] message, String spoolMessageId, int recipientIndex, String tenant, String recipient) {
        if (capacity == 0) {
            return;
        }
        String id = normalise(field(message, "message-id"));
        if (id == null) {
            return;
        }
        SentDelivery d = new SentDelivery(id, spoolMessageId, recipientIndex, tenant, address(field(message, "from")),
                recipient.strip().toLowerCase(Locale.ROOT));
        if (add(d)) {
            SentMessagesJournal j = journal;
            if (j != null) {
                j.record(d);
            }
            if (d.storable()) {
                share.sent(d);
            }
        }
    }

    /** A delivery another node sent: kept (and persisted) here, never shared again. */
    public void applyShared(SentDelivery d) {
        if (capacity > 0 && add(d)) {
            SentMessagesJournal j = journal;
            if (j != null) {
                j.record(d);
            }
        }
    }

    /* Adds unless that delivery (spool message, recipient index) is known; evicts the oldest Message-IDs past capacity. */
    private boolean add(SentDelivery d) {
        if (capacity == 0) {
            return false;
        }
        Sent s = byMessageId.computeIfAbsent(d.messageId(), k -> {
            age.add(k);
            return new Sent();
        });
        boolean added;
        synchronized (s) {
            added = s.deliveries.size() < MAX_RECIPIENTS && s.deliveries.stream().noneMatch(r ->
                    r.recipientIndex() == d.recipientIndex() && r.spoolMessageId().equals(d.spoolMessageId()));
            if (added) {
                s.deliveries.add(d);
            }
        }
        while (byMessageId.size() > capacity) {
            String oldest = age.poll();
            if (oldest == null) {
                break;
            }
            byMessageId.remove(oldest);
        }
        return added;
    }

    /** Every delivery held, the oldest Message-ID first: what a rewrite of the journal holds. */
    List<SentDelivery> live() {
        List<SentDelivery> all = new ArrayList<>(byMessageId.size());
        for (String id : age) {
            Sent s = byMessageId.get(id);
            if (s != null) {
                synchronized (s) {
                    all.addAll(s.deliveries);
                }
            }
        }
        return all;
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
        synchronized (s) {
            for (String f : failedRecipients) {
                if (f == null) {
                    continue;
                }
                String a = f.strip().toLowerCase(Locale.ROOT);
                for (SentDelivery d : s.deliveries) {
                    if (d.recipient().equals(a) && (from == null || d.from() == null || from.equals(d.from()))) {
                        return Optional.of(new ReturnPaths.Resolved(d.tenant(), d.recipient(), d.spoolMessageId(),
                                d.recipientIndex()));
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

    /** Writes what is queued (and forces it to disk) and stops the writer; the index stays usable in memory. */
    @Override
    public void close() {
        SentMessagesJournal j = journal;
        journal = null;
        if (j != null) {
            j.close();
        }
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
