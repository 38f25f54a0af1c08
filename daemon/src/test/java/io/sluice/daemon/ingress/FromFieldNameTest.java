package io.sluice.daemon.ingress;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The From field's name is recognised in place (issue 14) exactly as the string comparison it replaced did. */
class FromFieldNameTest {
    private static boolean asBefore(byte[] m, int from, int to) {
        return new String(m, from, to - from, StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT).equals("from");
    }

    @Test
    void agreesWithDecodingStrippingAndLowerCasing() {
        Random r = new Random(14);
        byte[] pool = "fFrRoOmM \t\r\n\u000b\f\u001c\u001f:x".getBytes(StandardCharsets.ISO_8859_1);
        int matches = 0;
        for (int round = 0; round < 300_000; round++) {
            byte[] m = new byte[2 + r.nextInt(9)];
            for (int i = 0; i < m.length; i++) {
                int pick = r.nextInt(10);
                m[i] = pick == 0 ? (byte) r.nextInt(256) : pool[r.nextInt(pool.length)];
            }
            if (r.nextInt(4) == 0) {
                byte[] word = "From".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(word, 0, m, r.nextInt(m.length - 1) / 2, Math.min(4, m.length / 2));
            }
            int from = r.nextInt(2);
            int to = m.length - r.nextInt(2);
            boolean expected = asBefore(m, from, to);
            matches += expected ? 1 : 0;
            assertEquals(expected, TenantDomainCheck.isFrom(m, from, to), () -> java.util.Arrays.toString(m));
        }
        assertTrue(matches > 100, "matching names came up " + matches + " times");
    }

    @Test
    void examples() {
        for (String yes : new String[]{"From", "from", "FROM", " From\t", "fRoM "}) {
            byte[] b = yes.getBytes(StandardCharsets.US_ASCII);
            assertTrue(TenantDomainCheck.isFrom(b, 0, b.length), yes);
        }
        for (String no : new String[]{"", "Fro", "Fromm", "Sender", "Resent-From", "F rom", "From\u00e9"}) {
            byte[] b = no.getBytes(StandardCharsets.ISO_8859_1);
            assertFalse(TenantDomainCheck.isFrom(b, 0, b.length), no);
        }
    }

    @Test
    void theFromDomainsAreFoundAsBefore() {
        byte[] m = ("Subject: s\r\nFROM : \"A, B\" <a@One.Test>, c@two.test\r\nSender: x@three.test\r\n\r\nFrom: body@no.test\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(java.util.List.of("one.test", "two.test"), TenantDomainCheck.fromDomains(m, m.length));
    }
}
