package io.sluice.dkim;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The DKIM canonicaliser meets every message a client submits. Bodies: the hash never throws,
 * does not depend on how the bytes arrive, and ignores what RFC 6376 §3.4 says it must (trailing
 * empty lines; for relaxed, trailing whitespace and runs of it). Headers: splitting a header
 * section into fields loses no byte (the fields print back to the section), the only refusal is
 * the documented IllegalArgumentException, and relaxed canonicalisation is idempotent.
 */
class CanonicalizationPropertyTest {

    /** Bytes rich in what canonicalisation cares about: CR, LF, SP, HTAB, colon. */
    @Provide
    Arbitrary<byte[]> mailBytes() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab :\t\r\n\u00e9").ofMaxLength(200)
                        .map(s -> s.getBytes(StandardCharsets.ISO_8859_1)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    }

    @Property(tries = 2000)
    void theBodyHashDoesNotDependOnHowTheBytesArrive(@ForAll("mailBytes") byte[] body,
                                                    @ForAll Canonicalization c,
                                                    @ForAll("cuts") List<Integer> cuts) {
        BodyHasher streamed = new BodyHasher(c);
        int from = 0;
        for (int cut : cuts) {
            int to = Math.min(body.length, from + cut);
            streamed.update(body, from, to - from);
            from = to;
        }
        streamed.update(body, from, body.length - from);
        assertArrayEquals(BodyHasher.hash(body, c), streamed.digest());
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 20).list().ofMaxSize(10);
    }

    @Property(tries = 2000)
    void trailingEmptyLinesDoNotChangeTheBodyHash(@ForAll("mailBytes") byte[] body, @ForAll Canonicalization c) {
        byte[] line = concat(body, "\r\n");
        assertArrayEquals(BodyHasher.hash(line, c), BodyHasher.hash(concat(line, "\r\n\r\n"), c));
    }

    @Property(tries = 2000)
    void relaxedIgnoresWhitespaceAtLineEndsAndItsRuns(@ForAll("mailBytes") byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String padded = text.replace("\r\n", " \t\r\n").replace(" ", "  ");
        assertArrayEquals(BodyHasher.hash(body, Canonicalization.RELAXED),
                BodyHasher.hash(padded.getBytes(StandardCharsets.ISO_8859_1), Canonicalization.RELAXED));
    }

    @Property(tries = 2000)
    void headerFieldsPrintBackToTheirSection(@ForAll("mailBytes") byte[] block) {
        List<HeaderField> fields;
        try {
            fields = HeaderField.parse(block);
        } catch (IllegalArgumentException documented) {
            return; // a line without a colon
        }
        StringBuilder printed = new StringBuilder();
        fields.forEach(f -> printed.append(f.raw()));
        String section = new String(block, StandardCharsets.ISO_8859_1);
        assertEquals(section.substring(0, printed.length()), printed.toString());
        String rest = section.substring(printed.length());
        assertEquals(true, rest.isEmpty() || rest.startsWith("\r\n"), "stopped before " + rest);
    }

    @Property(tries = 2000)
    void relaxedHeaderCanonicalisationIsIdempotent(@ForAll("mailBytes") byte[] field) {
        String once = Canonicalization.RELAXED.canonicalizeHeader(new String(field, StandardCharsets.ISO_8859_1));
        assertEquals(once, Canonicalization.RELAXED.canonicalizeHeader(once));
    }

    private static byte[] concat(byte[] a, String b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
