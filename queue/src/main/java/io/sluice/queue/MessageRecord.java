package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Layout of one document in the {@code messages} queue (raw bytes, no wire field names):
 * <pre>
 *   byte   kind            ACCEPTED or COPIED (re-appended by reclaim, same id)
 *   utf8   messageId       26 chars
 *   --- envelope ---
 *   utf8   sender
 *   int    n; utf8 x n     recipients
 *   long   epochSecond; int nano   receivedAt
 *   int    m; (utf8,utf8) x m      attributes
 *   --- body ---
 *   int    bodyLength; bytes body
 * </pre>
 * The envelope comes first so recovery reads it and stops: the body pages are never touched.
 */
final class MessageRecord {
    static final byte ACCEPTED = 1;
    static final byte COPIED = 2;
    /** Generous upper bound for everything but the body; envelopes larger than this are refused. */
    static final int MAX_ENVELOPE_BYTES = 1 << 20;

    private MessageRecord() {}

    static void write(Bytes<?> out, byte kind, MessageId id, Envelope e, MessagePieces body) {
        out.writeByte(kind);
        out.writeUtf8(id.value());
        writeEnvelope(out, e);
        out.writeInt(body.length());
        body.writeTo(out); // one copy of the body, straight from the caller's arrays
    }

    static void writeEnvelope(Bytes<?> out, Envelope e) {
        out.writeUtf8(e.sender());
        List<String> rcpts = e.recipients();
        out.writeInt(rcpts.size());
        for (int i = 0; i < rcpts.size(); i++) {
            out.writeUtf8(rcpts.get(i));
        }
        out.writeLong(e.receivedAt().getEpochSecond());
        out.writeInt(e.receivedAt().getNano());
        out.writeInt(e.attributes().size());
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            out.writeUtf8(a.getKey());
            out.writeUtf8(a.getValue());
        }
    }

    /** A rough size of the envelope, to check space before the write starts. */
    static int envelopeSizeEstimate(Envelope e) {
        int n = 64 + e.sender().length() * 3;
        for (String r : e.recipients()) {
            n += 8 + r.length() * 3;
        }
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            n += 16 + (a.getKey().length() + a.getValue().length()) * 3;
        }
        return n;
    }

    static byte readKind(Bytes<?> in) {
        return in.readByte();
    }

    static MessageId readId(Bytes<?> in) {
        String id = in.readUtf8();
        if (id == null) {
            throw new CorruptRecordException("no message id");
        }
        return new MessageId(id);
    }

    /** A count read from disk must lie in {@code min..max}; {@code max} is what the bytes left can hold. */
    static void checkCount(String what, long count, long min, long max) {
        if (count < min || count > max) {
            throw new CorruptRecordException(what + " " + count + " outside " + min + ".." + max
                    + " (the bytes left in the record)");
        }
    }

    /**
     * Reads an envelope written by {@link #writeEnvelope}. Counts come from disk, so each is
     * checked against the bytes left before anything is allocated for it: a corrupt count is a
     * {@link CorruptRecordException}, never an out-of-memory error or a read past the record.
     */
    static Envelope readEnvelope(Bytes<?> in) {
        String sender = in.readUtf8();
        if (sender == null) {
            throw new CorruptRecordException("no sender");
        }
        int n = in.readInt();
        // every recipient takes at least its one-byte length
        checkCount("recipients", n, 1, in.readRemaining());
        // Built as the immutable collections the Envelope keeps (its copyOf then copies nothing):
        // read for every delivery, a list and a map built only to be copied were garbage (issue 14).
        String[] rcpts = new String[n];
        for (int i = 0; i < n; i++) {
            String r = in.readUtf8();
            if (r == null || r.isEmpty()) {
                throw new CorruptRecordException("recipient " + i + " is empty");
            }
            rcpts[i] = r;
        }
        Instant received = Instant.ofEpochSecond(in.readLong(), in.readInt());
        int m = in.readInt();
        checkCount("attributes", m, 0, in.readRemaining() / 2);
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] attrs = new Map.Entry[m];
        for (int i = 0; i < m; i++) {
            String key = in.readUtf8();
            String value = in.readUtf8();
            if (key == null || value == null) {
                throw new CorruptRecordException("attribute " + i + " is null");
            }
            attrs[i] = Map.entry(key, value);
        }
        return new Envelope(sender, n == 1 ? List.of(rcpts[0]) : List.of(rcpts), received, attributeMap(attrs));
    }

    /* Written from a map, a record holds each key once; should one repeat, the last wins, as a map's put did. */
    private static Map<String, String> attributeMap(Map.Entry<String, String>[] attrs) {
        if (attrs.length == 0) {
            return Map.of();
        }
        try {
            return Map.ofEntries(attrs);
        } catch (IllegalArgumentException duplicateKey) {
            Map<String, String> last = new HashMap<>();
            for (Map.Entry<String, String> a : attrs) {
                last.put(a.getKey(), a.getValue());
            }
            return last;
        }
    }

    static byte[] readBody(Bytes<?> in) {
        int len = in.readInt();
        checkCount("body length", len, 0, in.readRemaining());
        byte[] body = new byte[len];
        in.read(body);
        return body;
    }
}
