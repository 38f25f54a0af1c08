package io.sluice.daemon.outcome.tokens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Message-ID index kept across restarts (issue 15 item 4): what was sent before a restart is
 * still matched after it, the capacity bound holds whatever the file held, a torn or damaged file
 * costs only its bad records, and the file is rewritten so it does not grow without bound.
 */
class SentMessagesRestartTest {
    @TempDir
    Path dir;

    private static byte[] message(String messageId) {
        return ("From: News <news@sender.example>\r\nTo: x@example.net\r\nMessage-ID: " + messageId
                + "\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean matches(SentMessages index, String messageId, String recipient) {
        return index.find(message(messageId), List.of(recipient)).isPresent();
    }

    private Path file() {
        return dir.resolve(SentMessagesJournal.FILE);
    }

    @Test
    void aDeliveryNotedBeforeARestartIsFoundAfterIt() throws Exception {
        try (SentMessages before = SentMessages.open(dir, 100)) {
            before.sent(message("<a1@sender.example>"), "01JEXAMPLE0000000000000001", 0, "acme", "Carol@Example.net");
            before.sent(message("<a1@sender.example>"), "01JEXAMPLE0000000000000001", 1, "acme", "dave@example.net");
        }
        try (SentMessages after = SentMessages.open(dir, 100)) {
            byte[] quoted = "From: news@sender.example\r\nMessage-ID: <A1@sender.example>\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            assertEquals(new ReturnPaths.Resolved("acme", "dave@example.net", "01JEXAMPLE0000000000000001", 1),
                    after.find(quoted, List.of("dave@example.net")).orElseThrow());
            assertEquals(new ReturnPaths.Resolved("acme", "carol@example.net", "01JEXAMPLE0000000000000001", 0),
                    after.find(quoted, List.of("carol@example.net")).orElseThrow());
            assertTrue(after.find(quoted, List.of("eve@example.net")).isEmpty(), "still only the recipients it went to");
        }
    }

    @Test
    void theCapacityHoldsAcrossRestartsOldestFirstOut() throws Exception {
        try (SentMessages index = SentMessages.open(dir, 3)) {
            for (int i = 0; i < 5; i++) {
                index.sent(message("<m" + i + "@sender.example>"), "spool-" + i, 0, "acme", "r@example.net");
            }
            assertEquals(3, index.size());
        }
        try (SentMessages index = SentMessages.open(dir, 3)) {
            assertEquals(3, index.size());
            assertFalse(matches(index, "<m1@sender.example>", "r@example.net"));
            assertTrue(matches(index, "<m2@sender.example>", "r@example.net"));
            assertTrue(matches(index, "<m4@sender.example>", "r@example.net"));
            assertEquals(3, Files.readAllLines(file()).size(), "the file holds what the index keeps, no more");
        }
        // a smaller capacity after a restart keeps the newest
        try (SentMessages index = SentMessages.open(dir, 2)) {
            assertEquals(2, index.size());
            assertFalse(matches(index, "<m2@sender.example>", "r@example.net"));
            assertTrue(matches(index, "<m3@sender.example>", "r@example.net"));
            assertTrue(matches(index, "<m4@sender.example>", "r@example.net"));
        }
    }

    @Test
    void aTornTailAndDamagedRecordsAreSkippedAndTheRestKept() throws Exception {
        try (SentMessages index = SentMessages.open(dir, 100)) {
            for (int i = 0; i < 4; i++) {
                index.sent(message("<t" + i + "@sender.example>"), "spool-" + i, 0, "acme", "r" + i + "@example.net");
            }
        }
        List<String> lines = Files.readAllLines(file());
        assertEquals(4, lines.size());
        // a bit flipped in the second record: same shape, another recipient index; the CRC no longer matches
        String damaged = lines.get(1).replace("\tspool-1\t0\t", "\tspool-1\t7\t");
        assertFalse(damaged.equals(lines.get(1)));
        Files.write(file(), List.of(lines.get(0), damaged, lines.get(2), lines.get(3)));
        // bytes that are no UTF-8, then a record cut off by a crash mid-write
        Files.write(file(), new byte[]{(byte) 0xff, (byte) 0xfe, 'x', '\n'}, StandardOpenOption.APPEND);
        Files.write(file(), lines.get(3).substring(0, 20).getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (SentMessages index = SentMessages.open(dir, 100)) {
            assertTrue(matches(index, "<t0@sender.example>", "r0@example.net"));
            assertFalse(matches(index, "<t1@sender.example>", "r1@example.net"), "the damaged record is skipped");
            assertTrue(matches(index, "<t2@sender.example>", "r2@example.net"));
            assertTrue(matches(index, "<t3@sender.example>", "r3@example.net"));
            // what is sent now lands on a clean line, not glued to the torn one
            index.sent(message("<t4@sender.example>"), "spool-4", 0, "acme", "r4@example.net");
        }
        try (SentMessages index = SentMessages.open(dir, 100)) {
            assertEquals(4, index.size());
            assertTrue(matches(index, "<t4@sender.example>", "r4@example.net"));
        }
    }

    @Test
    void theFileIsRewrittenSoItStaysWithinTwiceWhatTheIndexHolds() throws Exception {
        int capacity = 10;
        int margin = 5;
        try (SentMessages index = SentMessages.open(dir, capacity, margin)) {
            for (int i = 0; i < 500; i++) {
                index.sent(message("<c" + i + "@sender.example>"), "spool-" + i, 0, "acme", "r@example.net");
                if (i % 3 == 2) {
                    index.writeQueued();
                    assertTrue(index.journalLines() <= 2L * capacity + margin, "lines " + index.journalLines());
                    assertEquals(index.journalLines(), Files.readAllLines(file()).size());
                }
            }
        }
        assertTrue(Files.readAllLines(file()).size() <= 2L * capacity + margin);
        try (SentMessages index = SentMessages.open(dir, capacity)) {
            assertEquals(capacity, index.size());
            assertTrue(matches(index, "<c499@sender.example>", "r@example.net"));
            assertFalse(matches(index, "<c489@sender.example>", "r@example.net"));
        }
        assertEquals(capacity, Files.readAllLines(file()).size(), "reopening rewrote it with what the index keeps");
    }

    @Test
    void retriesOfOneDeliveryAreKeptOnce() throws Exception {
        try (SentMessages index = SentMessages.open(dir, 100)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                index.sent(message("<r@sender.example>"), "spool-1", 0, "acme", "r@example.net");
            }
        }
        assertEquals(1, Files.readAllLines(file()).size());
    }

    @Test
    void sizeZeroKeepsNothing() {
        SentMessages off = new SentMessages(0);
        off.sent(message("<z@sender.example>"), "spool-1", 0, "acme", "r@example.net");
        assertEquals(0, off.size());
        assertFalse(matches(off, "<z@sender.example>", "r@example.net"));
    }
}
