package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message given in pieces (issue 14: no assembled copy before the spool) makes the same record
 * as one array of the same bytes, in the layout earlier builds wrote; and the pieces' arrays are
 * never read after {@code accept} returns.
 */
class MessagePiecesTest {
    @TempDir
    Path dir;

    private static final byte[] TOP = "Received: from x\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT = "Subject: hi\r\n\r\nbody line\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATE = "Date: Mon, 7 Dec 2026 15:00:00 +0000\r\n".getBytes(StandardCharsets.US_ASCII);

    /* Our header, the client's header section, a Date field, the client's body, as TraceHeaders splits it. */
    private static MessagePieces pieces() {
        int headerEnd = 13;
        return new MessagePieces().add(TOP, 0, TOP.length).add(CLIENT, 0, headerEnd)
                .add(DATE, 0, DATE.length).add(new byte[0], 0, 0).add(CLIENT, headerEnd, CLIENT.length - headerEnd);
    }

    private static byte[] concatenation() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(TOP, 0, TOP.length);
        b.write(CLIENT, 0, 13);
        b.write(DATE, 0, DATE.length);
        b.write(CLIENT, 13, CLIENT.length - 13);
        return b.toByteArray();
    }

    @Test
    void piecesMakeTheRecordOfTheirConcatenation() {
        MessageId id = MessageId.next();
        Envelope e = envelope("a@x.test", "b@y.test");
        Bytes<?> out = Bytes.allocateElasticOnHeap(256);
        MessageRecord.write(out, MessageRecord.ACCEPTED, id, e, pieces());
        assertArrayEquals(MessageRecordTest.recordAsEarlierBuildsWroteIt(id, e, concatenation()), out.toByteArray());
        assertEquals(concatenation().length, pieces().length());
        assertArrayEquals(concatenation(), pieces().toArray());
    }

    @Test
    void piecesAcceptedAreReadBackAndRecoveredAfterAReopen() throws Exception {
        MessageId id;
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC))) {
            id = spool.accept(envelope("a@x.test", "b@y.test"), pieces());
            assertArrayEquals(concatenation(), spool.read(id).body());
            assertEquals(envelope("a@x.test", "b@y.test"), spool.read(id).envelope());
        }
        try (Spool spool = Spool.open(settings(dir, Durability.FSYNC))) {
            assertEquals(2, spool.recovered().size());
            assertEquals(id, spool.recovered().get(0).id().message());
            assertArrayEquals(concatenation(), spool.read(id).body());
        }
    }

    @Test
    void piecesOverTheLimitAreRefusedBeforeAnyWrite() throws Exception {
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            byte[] big = new byte[(1 << 20) - 10];
            MessagePieces p = new MessagePieces().add(TOP, 0, TOP.length).add(big, 0, big.length);
            assertThrows(SpoolException.class, () -> spool.accept(envelope("a@x.test"), p));
            assertEquals(0, SpoolFixtures.documents(dir.resolve("messages"), "HOURLY"));
        }
    }

    @Test
    void aWaiterThatGivesUpFirstStopsTheWrite() {
        PendingAppend p = PendingAppend.message(MessageId.next(), envelope("a@x.test"), pieces(), 0);
        p.cancelOrAwaitWrite();
        assertFalse(p.startWrite(), "the writer must not read the arrays once the waiter has given up");
    }

    @Test
    void aWaiterThatGivesUpDuringTheWriteWaitsForItsEnd() throws Exception {
        PendingAppend p = PendingAppend.message(MessageId.next(), envelope("a@x.test"), pieces(), 0);
        assertTrue(p.startWrite());
        CompletableFuture<Void> gaveUp = CompletableFuture.runAsync(p::cancelOrAwaitWrite);
        Thread.sleep(100); // the waiter is parked while the writer still reads the arrays
        assertFalse(gaveUp.isDone());
        p.written();
        gaveUp.get(10, TimeUnit.SECONDS);
    }
}
