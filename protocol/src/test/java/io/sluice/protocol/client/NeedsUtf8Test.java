package io.sluice.protocol.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMTPUTF8 is needed when any path has a non-ASCII character (RFC 6531 §3.2), checked without streams (issue 14). */
class NeedsUtf8Test {
    private static boolean needs(String sender, String... recipients) {
        return SmtpConnection.needsUtf8(new Transaction(sender, List.of(recipients), new byte[]{'x'}));
    }

    @Test
    void anyNonAsciiPathNeedsIt() {
        assertFalse(needs("", "a@x.test"));
        assertFalse(needs("s@x.test", "a@x.test", "b\u007f@x.test".replace("\u007f", "~")));
        assertTrue(needs("s\u00e9@x.test", "a@x.test"));
        assertTrue(needs("s@x.test", "a@x.test", "b@\u00e9x.test"));
        assertTrue(needs("s@x.test", "\u4f8b@x.test"));
        assertTrue(needs("s@x.test", "a\u0080@x.test"));
    }
}
