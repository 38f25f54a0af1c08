package io.sluice.daemon.outcome.suppression;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The durable half of the store: every change ever made, appended to a Chronicle queue and never
 * rewritten (the audit trail). Record layout (raw bytes):
 * <pre>
 *   byte version(1), byte action (1 add, 2 remove), utf8 tenant, utf8 key, byte reason (0 none),
 *   utf8 source, utf8 note, long atMillis, long expiresMillis (0 never), long previous (-1 none),
 *   utf8 origin (version 2 only)
 * </pre>
 * {@code origin} names the cluster node a replicated change came from; empty (and absent in
 * version 1 records) for a change made on this node, which is what a cluster publishes.
 * {@code previous} is the index of the prior change of the same (tenant, key), so the history of
 * one address is a walk back through a few records, not a scan. Appends and reads are guarded by
 * this object's lock (Chronicle appenders and tailers are thread-confined).
 */
final class SuppressionLog implements AutoCloseable {
    static final byte ACTION_ADD = 1;
    static final byte ACTION_REMOVE = 2;

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final ExcerptTailer reader;
    /** Reused by {@link #owns} under this object's lock: confirming a hit allocates nothing. */
    private final StringBuilder ownerTenant = new StringBuilder(32);
    private final StringBuilder ownerKey = new StringBuilder(64);

    SuppressionLog(Path dir) {
        this.queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(LargeRollCycles.LARGE_DAILY).blockSize(16L << 20).build();
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
        this.reader = queue.createTailer();
        this.reader.singleThreadedCheckDisabled(true);
    }

    /** A change as the rebuild sees it, without allocating strings for the fields it skips. */
    interface Visitor {
        void visit(long index, byte action, StringBuilder tenant, StringBuilder key, byte reason, long expiresMillis);
    }

    synchronized long append(SuppressionChange c, long previous) {
        return append(c, previous, "");
    }

    /** Appends a change; {@code origin} is the node it was replicated from, empty for a local one. */
    synchronized long append(SuppressionChange c, long previous, String origin) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = dc.wire().bytes();
            out.writeByte((byte) 2);
            out.writeByte(c.isAdd() ? ACTION_ADD : ACTION_REMOVE);
            out.writeUtf8(c.tenant());
            out.writeUtf8(c.key());
            out.writeByte(c.reason() == null ? 0 : c.reason().code());
            out.writeUtf8(c.source());
            out.writeUtf8(c.note() == null ? "" : c.note());
            out.writeLong(c.at().toEpochMilli());
            out.writeLong(c.expires() == null ? 0 : c.expires().toEpochMilli());
            out.writeLong(previous);
            out.writeUtf8(origin);
        }
        return appender.lastIndexAppended();
    }

    /** Flushes appended changes to disk (msync). */
    synchronized void sync() {
        appender.sync();
    }

    /** Reads every change from the start, in order (the rebuild at start). */
    void replay(Visitor v) {
        StringBuilder tenant = new StringBuilder(32);
        StringBuilder key = new StringBuilder(64);
        StringBuilder skip = new StringBuilder(64);
        try (ExcerptTailer t = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    Bytes<?> in = dc.wire().bytes();
                    in.readByte();
                    byte action = in.readByte();
                    in.readUtf8(tenant);
                    in.readUtf8(key);
                    byte reason = in.readByte();
                    in.readUtf8(skip);
                    in.readUtf8(skip);
                    in.readLong();
                    long expires = in.readLong();
                    v.visit(dc.index(), action, tenant, key, reason, expires);
                }
            }
        }
    }

    /**
     * The change at {@code index}, the index of its predecessor, and the node it was replicated
     * from (empty: made here).
     */
    record Read(long index, SuppressionChange change, long previous, String origin) {
        boolean local() {
            return origin.isEmpty();
        }
    }

    /**
     * Reads up to {@code max} changes after {@code after} (-1: from the start), in order. Returns
     * the index of the last one read, or {@code after} when there is none.
     */
    long readAfter(long after, int max, java.util.function.Consumer<Read> sink) {
        long last = after;
        try (ExcerptTailer t = queue.createTailer()) {
            t.singleThreadedCheckDisabled(true);
            if (after >= 0) {
                if (!t.moveToIndex(after)) {
                    // the index is not in this queue (a store rebuilt from scratch): start over
                    t.toStart();
                } else {
                    try (DocumentContext skip = t.readingDocument()) {
                        // positioned at `after` itself, which was read already
                    }
                }
            }
            for (int n = 0; n < max; n++) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Read r = decode(dc.index(), dc.wire().bytes());
                    sink.accept(r);
                    last = r.index();
                }
            }
        }
        return last;
    }

    /** The index of the last change appended, or -1 when the log is empty. */
    long lastIndex() {
        return queue.lastIndex();
    }

    synchronized Read read(long index) {
        if (!reader.moveToIndex(index)) {
            return null;
        }
        try (DocumentContext dc = reader.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            return decode(dc.index(), dc.wire().bytes());
        }
    }

    /**
     * Whether the change at {@code index} is of {@code tenant} and of {@code key} from
     * {@code from} on, the key compared as the index hashes it (case folded per character): how
     * the index confirms a hash match. Reads the record's first fields only, into reused buffers.
     */
    synchronized boolean owns(long index, CharSequence tenant, CharSequence key, int from) {
        if (!reader.moveToIndex(index)) {
            return false;
        }
        try (DocumentContext dc = reader.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            Bytes<?> in = dc.wire().bytes();
            in.readByte();
            in.readByte();
            in.readUtf8(ownerTenant);
            in.readUtf8(ownerKey);
            return sameTenant(ownerTenant, tenant) && sameKey(ownerKey, key, from);
        }
    }

    private static boolean sameTenant(StringBuilder stored, CharSequence tenant) {
        int n = stored.length();
        if (n != tenant.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (stored.charAt(i) != tenant.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameKey(StringBuilder stored, CharSequence key, int from) {
        int n = stored.length();
        if (n != key.length() - from) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (fold(stored.charAt(i)) != fold(key.charAt(from + i))) {
                return false;
            }
        }
        return true;
    }

    /** The case folding of {@link SuppressionIndex#keyHash}. */
    private static char fold(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + 32);
        }
        return c > 127 ? Character.toLowerCase(c) : c;
    }

    private static Read decode(long index, Bytes<?> in) {
        byte version = in.readByte();
        byte action = in.readByte();
        String tenant = in.readUtf8();
        String key = in.readUtf8();
        SuppressionReason reason = SuppressionReason.ofCode(in.readByte());
        String source = in.readUtf8();
        String note = in.readUtf8();
        Instant at = Instant.ofEpochMilli(in.readLong());
        long exp = in.readLong();
        long previous = in.readLong();
        String origin = version >= 2 ? in.readUtf8() : "";
        return new Read(index, new SuppressionChange(action == ACTION_ADD ? SuppressionChange.ADD : SuppressionChange.REMOVE,
                tenant, key, reason, source, note, at, exp == 0 ? null : Instant.ofEpochMilli(exp)), previous,
                origin == null ? "" : origin);
    }

    @Override
    public synchronized void close() {
        try {
            appender.sync();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        reader.close();
        appender.close();
        queue.close();
    }
}
