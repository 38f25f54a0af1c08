package io.sluice.daemon.ingress;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderSectionTest {

    private static HeaderSection scan(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return HeaderSection.scan(b, b.length);
    }

    @Test
    void findsTheEmptyLineAndCountsFields() {
        String msg = "Received: a\r\nreceived: b\r\n\tcontinued\r\nDate: x\r\nSubject: s\r\n\r\nbody\r\n";
        HeaderSection h = scan(msg);
        assertEquals(msg.indexOf("\r\n\r\n") + 2, h.end());
        assertTrue(h.hasSeparator());
        assertEquals(2, h.receivedCount());
        assertTrue(h.hasDate());
        assertFalse(h.hasMessageId());
    }

    @Test
    void aBodyLineWithoutColonEndsTheSection() {
        HeaderSection h = scan("Subject: s\r\nthis is body\r\n");
        assertEquals("Subject: s\r\n".length(), h.end());
        assertFalse(h.hasSeparator());
    }

    @Test
    void assembledMessageHasReceivedOnTopAndMissingFieldsAtTheEndOfTheHeader() {
        String msg = "Subject: s\r\n\r\nbody\r\n";
        byte[] b = msg.getBytes(StandardCharsets.US_ASCII);
        TraceHeaders trace = new TraceHeaders("mx.sluice.test");
        byte[] out = trace.assemble(b, b.length, HeaderSection.scan(b, b.length), "client.test", "127.0.0.1", "ESMTP",
                "rcpt@dest.test", ZonedDateTime.of(2026, 11, 28, 10, 0, 0, 0, ZoneOffset.UTC));
        String s = new String(out, StandardCharsets.US_ASCII);
        assertTrue(s.startsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.sluice.test (Sluice) with ESMTP\r\n"
                + "\tfor <rcpt@dest.test>; Sat, 28 Nov 2026 10:00:00 +0000\r\nSubject: s\r\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <"), s);
        assertTrue(s.endsWith("@mx.sluice.test>\r\n\r\nbody\r\n"), s);
    }

    @Test
    void piecesReferToTheClientsBytesAndJoinToTheAssembledMessage() {
        // no Date and a body without the empty line: our field, the client's header, both added, the body
        byte[] b = "Subject: s\r\nMessage-ID: <m@x>\r\nbody without separator\r\n".getBytes(StandardCharsets.US_ASCII);
        TraceHeaders trace = new TraceHeaders("mx.sluice.test");
        ZonedDateTime now = ZonedDateTime.of(2026, 12, 7, 15, 0, 0, 0, ZoneOffset.UTC);
        HeaderSection h = HeaderSection.scan(b, b.length);
        io.sluice.queue.MessagePieces pieces = trace.pieces(b, b.length, h, "c", "127.0.0.1", "ESMTP", null, now);
        String expected = "Received: from c ([127.0.0.1])\r\n\tby mx.sluice.test (Sluice) with ESMTP; "
                + "Mon, 7 Dec 2026 15:00:00 +0000\r\nSubject: s\r\nMessage-ID: <m@x>\r\n"
                + "Date: Mon, 7 Dec 2026 15:00:00 +0000\r\n\r\nbody without separator\r\n";
        assertEquals(expected, new String(pieces.toArray(), StandardCharsets.US_ASCII));
        assertEquals(expected.length(), pieces.length());
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                trace.assemble(b, b.length, h, "c", "127.0.0.1", "ESMTP", null, now), pieces.toArray());
        // not copied: the spool reads the client's own buffer, which the session keeps until accept returns
        b[b.length - 3] = 'R';
        assertTrue(new String(pieces.toArray(), StandardCharsets.US_ASCII).endsWith("separatoR\r\n"));
    }

    @Test
    void theReceivedFieldIsItsTextInUtf8WhateverTheCharacters() {
        java.util.Random r = new java.util.Random(14);
        String alphabet = "aZ09 .-[]():;<>@\t\u00e9\u00ff\u0100\u20ac\ud83d\ude00\ud800";
        for (int round = 0; round < 20_000; round++) {
            String[] parts = new String[1 + r.nextInt(6)];
            for (int p = 0; p < parts.length; p++) {
                StringBuilder b = new StringBuilder();
                int len = r.nextInt(8);
                for (int i = 0; i < len; i++) {
                    // mostly ASCII, as in practice, sometimes not, so both ways are taken
                    b.append(r.nextInt(10) == 0 ? alphabet.charAt(r.nextInt(alphabet.length())) : (char) (32 + r.nextInt(95)));
                }
                parts[p] = b.toString();
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    String.join("", parts).getBytes(StandardCharsets.UTF_8), TraceHeaders.bytes(parts));
        }
        byte[] b = "Date: d\r\nMessage-ID: <m@x>\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        String s = new String(new TraceHeaders("h").assemble(b, b.length, HeaderSection.scan(b, b.length), "\u00e9cole.test",
                "127.0.0.1", "UTF8SMTP", "d\u00e9@x.test", ZonedDateTime.of(2026, 12, 7, 15, 0, 0, 0, ZoneOffset.UTC)),
                StandardCharsets.UTF_8);
        assertEquals("Received: from \u00e9cole.test ([127.0.0.1])\r\n\tby h (Sluice) with UTF8SMTP\r\n\tfor <d\u00e9@x.test>; "
                + "Mon, 7 Dec 2026 15:00:00 +0000\r\nDate: d\r\nMessage-ID: <m@x>\r\n\r\n", s);
    }

    @Test
    void helloTextCannotBreakTheHeader() {
        byte[] b = "Date: d\r\nMessage-ID: <m@x>\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new TraceHeaders("h").assemble(b, b.length, HeaderSection.scan(b, b.length), "evil\r\nBcc: x",
                "127.0.0.1", "ESMTP", null, ZonedDateTime.now(ZoneOffset.UTC));
        String s = new String(out, StandardCharsets.US_ASCII);
        assertFalse(s.contains("\r\nBcc:"), s);
        assertFalse(s.contains("\tfor <"), "no for clause without a single recipient");
    }

    @Test
    void fieldNamesMatchInAnyCaseWithWhiteSpaceBeforeTheColonButNotAsPrefixes() {
        HeaderSection h = scan("RECEIVED : a\r\nmessage-id\t: <m@x>\r\nDATE:x\r\nDates: no\r\nReceived-SPF: pass\r\n"
                + "X-Received: no\r\nDat: no\r\n\r\n");
        assertEquals(1, h.receivedCount());
        assertTrue(h.hasDate());
        assertTrue(h.hasMessageId());
        HeaderSection none = scan("Dates: x\r\nMessage-IDs: y\r\nReceivedX: z\r\n\r\n");
        assertEquals(0, none.receivedCount());
        assertFalse(none.hasDate());
        assertFalse(none.hasMessageId());
    }

    @Test
    void theDateIsRightInEverySecondAndZoneWhenItIsReused() {
        byte[] b = "Subject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        TraceHeaders trace = new TraceHeaders("h");
        ZonedDateTime t = ZonedDateTime.of(2026, 11, 28, 10, 0, 0, 0, ZoneOffset.UTC);
        ZonedDateTime[] times = {t, t.plusNanos(999_999_999), t.plusSeconds(1), t.plusSeconds(1).plusNanos(5),
            t.plusSeconds(1).withZoneSameInstant(ZoneOffset.ofHours(2)), t};
        for (ZonedDateTime now : times) {
            String s = new String(trace.assemble(b, b.length, HeaderSection.scan(b, b.length), "c", "127.0.0.1", "ESMTP",
                    null, now), StandardCharsets.US_ASCII);
            String date = TraceHeaders.RFC5322.format(now);
            assertTrue(s.contains("(Sluice) with ESMTP; " + date + "\r\n"), s);
            assertTrue(s.contains("\r\nDate: " + date + "\r\n"), s);
        }
    }

    @Test
    void aCleanHelloIsKeptAsItIsAndALongOneIsCut() {
        byte[] b = "Date: d\r\nMessage-ID: <m@x>\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        TraceHeaders trace = new TraceHeaders("h");
        String clean = new String(trace.assemble(b, b.length, HeaderSection.scan(b, b.length), "mail.example.test",
                "127.0.0.1", "ESMTP", null, ZonedDateTime.now(ZoneOffset.UTC)), StandardCharsets.US_ASCII);
        assertTrue(clean.startsWith("Received: from mail.example.test ([127.0.0.1])"), clean);
        String brackets = new String(trace.assemble(b, b.length, HeaderSection.scan(b, b.length), "a(b)c",
                "127.0.0.1", "ESMTP", null, ZonedDateTime.now(ZoneOffset.UTC)), StandardCharsets.US_ASCII);
        assertTrue(brackets.startsWith("Received: from a_b_c ([127.0.0.1])"), brackets);
        String longHelo = "x".repeat(300);
        String cut = new String(trace.assemble(b, b.length, HeaderSection.scan(b, b.length), longHelo,
                "127.0.0.1", "ESMTP", null, ZonedDateTime.now(ZoneOffset.UTC)), StandardCharsets.US_ASCII);
        assertTrue(cut.startsWith("Received: from " + "x".repeat(255) + " ([127.0.0.1])"), cut);
    }
}
