package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records in the layout earlier builds wrote (operators upgrade with mail queued) read back as
 * they were written, now that the envelope is read without a list and a map to copy (issue 14).
 */
class MessageRecordTest {
    private static final byte[] BODY = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    /* The record layout as MessageRecord documents it and earlier builds wrote it, field by field. */
    static byte[] recordAsEarlierBuildsWroteIt(MessageId id, Envelope e, byte[] body) {
        Bytes<?> out = Bytes.allocateElasticOnHeap(256);
        out.writeByte(MessageRecord.ACCEPTED);
        out.writeUtf8(id.value());
        out.writeUtf8(e.sender());
        out.writeInt(e.recipients().size());
        for (String r : e.recipients()) {
            out.writeUtf8(r);
        }
        out.writeLong(e.receivedAt().getEpochSecond());
        out.writeInt(e.receivedAt().getNano());
        out.writeInt(e.attributes().size());
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            out.writeUtf8(a.getKey());
            out.writeUtf8(a.getValue());
        }
        out.writeInt(body.length);
        out.write(body);
        return out.toByteArray();
    }

    @Test
    void aRecordInTheEarlierLayoutReadsBack() {
        MessageId id = MessageId.next();
        Envelope e = new Envelope("s@x.test", List.of("a@x.test", "b@x.test", "c@x.test"),
                Instant.parse("2026-12-07T15:00:00.5Z"), Map.of("tenant", "acme", "campaign", "c1", "dkim.bh.r", "abc="));
        Bytes<?> in = Bytes.wrapForRead(recordAsEarlierBuildsWroteIt(id, e, BODY));
        assertEquals(MessageRecord.ACCEPTED, MessageRecord.readKind(in));
        assertEquals(id, MessageRecord.readId(in));
        assertEquals(e, MessageRecord.readEnvelope(in));
        assertArrayEquals(BODY, MessageRecord.readBody(in));
        Envelope none = new Envelope("", List.of("a@x.test"), Instant.EPOCH, Map.of());
        Bytes<?> in2 = Bytes.wrapForRead(recordAsEarlierBuildsWroteIt(id, none, new byte[0]));
        MessageRecord.readKind(in2);
        MessageRecord.readId(in2);
        assertEquals(none, MessageRecord.readEnvelope(in2));
        assertArrayEquals(new byte[0], MessageRecord.readBody(in2));
    }

    @Test
    void aRepeatedAttributeKeyReadsAsTheLastValueAsBefore() {
        Bytes<?> out = Bytes.allocateElasticOnHeap(128);
        out.writeUtf8("s@x.test");
        out.writeInt(1);
        out.writeUtf8("a@x.test");
        out.writeLong(1);
        out.writeInt(0);
        out.writeInt(2);
        out.writeUtf8("tenant");
        out.writeUtf8("first");
        out.writeUtf8("tenant");
        out.writeUtf8("second");
        assertEquals(Map.of("tenant", "second"), MessageRecord.readEnvelope(out).attributes());
    }

}
