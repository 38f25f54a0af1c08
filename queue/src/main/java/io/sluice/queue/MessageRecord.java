package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    static void write(Bytes<?> out, byte kind, MessageId id, Envelope e, byte[] body) {
        out.writeByte(kind);
        out.writeUtf8(id.value());
        writeEnvelope(out, e);
        out.writeInt(body.length);
        out.write(body); // one copy of the body, in one go
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
        return new MessageId(in.readUtf8());
    }

    static Envelope readEnvelope(Bytes<?> in) {
        String sender = in.readUtf8();
        int n = in.readInt();
        List<String> rcpts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rcpts.add(in.readUtf8());
        }
        Instant received = Instant.ofEpochSecond(in.readLong(), in.readInt());
        int m = in.readInt();
        Map<String, String> attrs = new LinkedHashMap<>(Math.max(4, m * 2));
        for (int i = 0; i < m; i++) {
            attrs.put(in.readUtf8(), in.readUtf8());
        }
        return new Envelope(sender, rcpts, received, attrs);
    }

    static byte[] readBody(Bytes<?> in) {
        int len = in.readInt();
        byte[] body = new byte[len];
        in.read(body);
        return body;
    }
}
