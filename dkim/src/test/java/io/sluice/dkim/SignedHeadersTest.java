package io.sluice.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedHeadersTest {

    @Test
    void presentCoreHeadersAreListedOnceMoreThanTheyOccur() {
        List<String> h = SignedHeaders.forMessage(Messages.crlf(Messages.HEADERS + "To: second@example.net\n"));
        assertEquals(2, Collections.frequency(h, "from"));
        assertEquals(3, Collections.frequency(h, "to"));
        assertEquals(1, Collections.frequency(h, "reply-to")); // absent, but signed as absent
        assertEquals(2, Collections.frequency(h, "list-unsubscribe"));
        assertEquals(2, Collections.frequency(h, "list-unsubscribe-post"));
    }

    @Test
    void absentListHeadersAreNotMentioned() {
        List<String> h = SignedHeaders.forMessage(Messages.crlf("From: a@example.test\nSubject: s\n"));
        assertFalse(h.contains("list-unsubscribe"));
        assertFalse(h.contains("list-id"));
    }

    @Test
    void signatureHasNoLengthTagAndFoldsItsLines() {
        DkimSigner s = new DkimSigner(SigningIdentity.of("example.test", "s1", KeyGenerator.ed25519()));
        String sig = new String(s.sign(Messages.simple(), Instant.ofEpochSecond(1700000000L)), StandardCharsets.US_ASCII);
        String field = sig.substring(0, sig.indexOf("\r\nFrom:") + 2);
        assertFalse(field.matches("(?s).*[; ]l=.*"));
        assertTrue(field.contains(" t=1700000000;"));
        for (String line : field.split("\r\n")) {
            assertTrue(line.length() <= 78, line);
        }
    }

    @Test
    void explicitHeaderListMustIncludeFrom() {
        assertThrows(IllegalArgumentException.class, () -> new SigningIdentity("example.test", "s", KeyGenerator.ed25519(),
                CanonPair.RELAXED_RELAXED, List.of("subject"), null));
    }
}
