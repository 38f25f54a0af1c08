package io.sluice.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.sluice.queue.SpoolFixtures.body;
import static io.sluice.queue.SpoolFixtures.envelope;
import static io.sluice.queue.SpoolFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spool whose last record was torn or corrupted on disk (a failing disk, a crash mid-write
 * below Chronicle's framing) still opens: the good records are recovered, the bad one is
 * quarantined with its bytes kept under {@code quarantine/}, and the spool reports it.
 */
class CorruptTailRecoveryTest {
    @TempDir
    Path dir;

    private static final Instant T = Instant.parse("2025-06-01T10:00:00Z");

    /**
     * Two good messages, then a tail message whose envelope is marked so the test can find it.
     * The spool is abandoned, not closed: no final checkpoint, so recovery must read the records,
     * as after a crash.
     */
    private MessageId[] spoolWithMarkedTail() throws SpoolException {
        Spool abandoned = Spool.open(settings(dir, Durability.MMAP));
        MessageId a = abandoned.accept(envelope("a@x.test"), body("A"));
        MessageId b = abandoned.accept(envelope("b@x.test"), body("B"));
        MessageId tail = abandoned.accept(new Envelope("tail-marker@example.test", List.of("t@x.test"), T,
                Map.of()), body("TAIL"));
        return new MessageId[] {a, b, tail};
    }

    @Test
    void aTailMessageWhoseRecipientCountIsGarbageIsQuarantinedAndTheRestRecovered() throws Exception {
        MessageId[] ids = spoolWithMarkedTail();
        // the int after the sender is the recipient count: claim a million recipients
        overwriteAfter(dir.resolve("messages"), "tail-marker@example.test", intBytes(1_000_000));

        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertEquals(Set.of(ids[0], ids[1]), liveMessages(spool));
            assertArrayEquals(body("B"), spool.read(ids[1]).body());
            assertQuarantinedOnce(spool, "messages");
        }
    }

    @Test
    void aTornTailMessageIsQuarantinedAndTheRestRecovered() throws Exception {
        MessageId[] ids = spoolWithMarkedTail();
        // everything after the sender zeroed, as if the rest of the record never reached the disk
        overwriteAfter(dir.resolve("messages"), "tail-marker@example.test", new byte[32]);

        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertEquals(Set.of(ids[0], ids[1]), liveMessages(spool));
            assertQuarantinedOnce(spool, "messages");
        }
    }

    @Test
    void aTailOutcomeWithAGarbageRecipientIndexIsQuarantinedAndTheMessageStaysLive() throws Exception {
        Spool abandoned = Spool.open(settings(dir, Durability.MMAP));
        MessageId a = abandoned.accept(envelope("a@x.test", "a2@x.test"), body("A"));
        abandoned.reclaim(); // checkpoint: the outcome below is only in the journal tail
        abandoned.record(new DeliveryId(a, 1), new Outcome.Bounced(T, "550 outcome-marker"));
        // the outcome's recipient index (the int after the id) becomes 77
        Path journal = dir.resolve("journal");
        byte[] id = a.value().getBytes(StandardCharsets.US_ASCII);
        // find the OUTCOME record: type byte 1, then utf8 id (stop-bit length 26 then the chars)
        byte[] outcomeHead = new byte[2 + id.length];
        outcomeHead[0] = Journal.OUTCOME;
        outcomeHead[1] = (byte) id.length;
        System.arraycopy(id, 0, outcomeHead, 2, id.length);
        overwriteAfter(journal, outcomeHead, intBytes(77));
        try (Spool spool = Spool.open(settings(dir, Durability.MMAP))) {
            assertEquals(Set.of(a), liveMessages(spool));
            assertEquals(2, spool.liveDeliveries(a).size());
            assertQuarantinedOnce(spool, "journal");
        }
    }

    private static void assertQuarantinedOnce(Spool spool, String queue) throws IOException {
        List<QuarantinedRecord> q = spool.quarantined();
        assertEquals(1, q.size(), q.toString());
        assertEquals(queue, q.get(0).queue());
        assertTrue(Files.size(q.get(0).file()) > 0, "the record's bytes are kept for the operator");
        assertEquals(1, spool.status().quarantinedRecords());
    }

    private static Set<MessageId> liveMessages(Spool spool) {
        return spool.recovered().stream().map(d -> d.id().message()).collect(Collectors.toSet());
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static void overwriteAfter(Path queueDir, String marker, byte[] replacement) throws IOException {
        overwriteAfter(queueDir, marker.getBytes(StandardCharsets.US_ASCII), replacement);
    }

    /** Overwrites the bytes right after the last occurrence of {@code marker} in the queue's files. */
    private static void overwriteAfter(Path queueDir, byte[] marker, byte[] replacement) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(queueDir)) {
            files = s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = Math.min(ch.size(), 64L << 20);
                ByteBuffer buf = ByteBuffer.allocate((int) size);
                ch.read(buf, 0);
                byte[] data = buf.array();
                int at = lastIndexOf(data, marker);
                if (at >= 0) {
                    ch.write(ByteBuffer.wrap(replacement), at + marker.length);
                    ch.force(true);
                    return;
                }
            }
        }
        throw new AssertionError("marker not found in " + queueDir);
    }

    private static int lastIndexOf(byte[] data, byte[] marker) {
        outer:
        for (int i = data.length - marker.length; i >= 0; i--) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
