package io.sluice.protocol.client;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A prefix (e.g. a DKIM-Signature field) goes out as if it were the first bytes of the content. */
class TransactionPrefixTest {

    private static String encode(String prefix, String content) {
        ByteBuf b = DotStuffing.encode(prefix.getBytes(StandardCharsets.US_ASCII), content.getBytes(StandardCharsets.US_ASCII));
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }

    @Test
    void prefixIsSentBeforeTheContent() {
        assertEquals("X-Sig: 1\r\nSubject: s\r\n\r\nbody\r\n.\r\n", encode("X-Sig: 1\r\n", "Subject: s\r\n\r\nbody\r\n"));
    }

    @Test
    void dotOpeningTheContentAfterAPrefixLineIsStuffed() {
        assertEquals("A: 1\r\n..dot\r\n.\r\n", encode("A: 1\r\n", ".dot\r\n"));
        assertEquals("A: 1.dot\r\n.\r\n", encode("A: 1", ".dot\r\n"), "mid-line: not a line start");
        assertEquals("..p\r\nx\r\n.\r\n", encode(".p\r\n", "x\r\n"));
    }

    @Test
    void missingFinalCrlfIsJudgedOnTheWhole() {
        assertEquals("A: 1\r\n.\r\n", encode("A: 1\r\n", ""));
        assertEquals("A: 1\r\nx\r\n.\r\n", encode("A: 1\r\n", "x"));
        assertEquals("A: 1\r\n.\r\n", encode("A: 1\r", "\n"));
        assertEquals(".\r\n", encode("", ""));
    }

    @Test
    void sizeCountsPrefixAndContent() {
        Transaction t = new Transaction("a@x.test", List.of("b@y.test"), new byte[7], new byte[5]);
        assertEquals(12, t.size());
        assertEquals(5, new Transaction("a@x.test", List.of("b@y.test"), new byte[5]).size());
        assertEquals(0, new Transaction("a@x.test", List.of("b@y.test"), null, new byte[0]).prefix().length);
    }
}
