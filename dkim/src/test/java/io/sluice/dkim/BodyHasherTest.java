package io.sluice.dkim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Body canonicalization (RFC 6376 §3.4.3, §3.4.4) at the byte level, and chunking independence. */
class BodyHasherTest {

    @Test
    void emptyBodyIsOneCrlfInSimpleAndNothingInRelaxed() throws Exception {
        assertArrayEquals(sha("\r\n"), BodyHasher.hash(new byte[0], Canonicalization.SIMPLE));
        assertArrayEquals(sha(""), BodyHasher.hash(new byte[0], Canonicalization.RELAXED));
        // RFC 6376 §3.4.3/3.4.4 well-known values
        assertEquals("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=", b64(BodyHasher.hash(new byte[0], Canonicalization.SIMPLE)));
        assertEquals("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", b64(BodyHasher.hash(new byte[0], Canonicalization.RELAXED)));
    }

    @Test
    void simpleDropsTrailingEmptyLinesAndAddsTheMissingCrlf() throws Exception {
        assertArrayEquals(sha("a \r\n"), hash("a \r\n\r\n\r\n", Canonicalization.SIMPLE));
        assertArrayEquals(sha("a\r\n"), hash("a", Canonicalization.SIMPLE));
        assertArrayEquals(sha("a\r\n \r\n"), hash("a\r\n \r\n\r\n", Canonicalization.SIMPLE));
        assertArrayEquals(sha("\r\n"), hash("\r\n\r\n", Canonicalization.SIMPLE));
    }

    @Test
    void relaxedCollapsesWhitespaceAndDropsWhitespaceOnlyTrailingLines() throws Exception {
        assertArrayEquals(sha(" a b\r\n\r\nc\r\n"), hash(" \t a \t b \t\r\n \t\r\nc  \r\n \r\n\t\r\n\r\n", Canonicalization.RELAXED));
        assertArrayEquals(sha(""), hash(" \r\n\t\r\n", Canonicalization.RELAXED));
        assertArrayEquals(sha("x\r\n"), hash("x \t", Canonicalization.RELAXED));
    }

    @Test
    void bareCrIsContent() throws Exception {
        assertArrayEquals(sha("a\rb\r\n"), hash("a\rb\r\n", Canonicalization.SIMPLE));
        assertArrayEquals(sha("a\r\r\n"), hash("a\r", Canonicalization.SIMPLE));
    }

    @Test
    void anyChunkingGivesTheSameHash() {
        byte[] body = ("Line  one \t\r\n\r\n  two\r\n\r\n \r\nthree\r\n\r\n\r\n").repeat(50).getBytes(StandardCharsets.US_ASCII);
        Random rnd = new Random(42);
        for (Canonicalization c : Canonicalization.values()) {
            byte[] whole = BodyHasher.hash(body, c);
            for (int trial = 0; trial < 20; trial++) {
                BodyHasher h = new BodyHasher(c);
                int off = 0;
                while (off < body.length) {
                    int n = Math.min(body.length - off, rnd.nextInt(7));
                    h.update(body, off, n);
                    off += n;
                }
                assertArrayEquals(whole, h.digest(), c + " trial " + trial);
            }
        }
    }

    private static byte[] hash(String s, Canonicalization c) {
        return BodyHasher.hash(s.getBytes(StandardCharsets.ISO_8859_1), c);
    }

    private static byte[] sha(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
