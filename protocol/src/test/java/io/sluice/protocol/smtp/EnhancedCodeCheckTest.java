package io.sluice.protocol.smtp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written enhanced-code check (issue 14: no Matcher per reply) accepts exactly what the
 * RFC 3463 pattern it replaced accepted.
 */
class EnhancedCodeCheckTest {
    private static final Pattern RFC3463 = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    @Provide
    Arbitrary<String> codeLike() {
        // mostly digits and dots, so near-misses (4 digits, empty parts, class 3) come up often
        return Arbitraries.strings().withChars("0123456789..245x \u0661").ofMaxLength(11);
    }

    @Property(tries = 200_000)
    void agreesWithThePattern(@ForAll("codeLike") String s) {
        assertEquals(RFC3463.matcher(s).matches(), SmtpReply.isEnhancedCode(s), s);
    }

    @Test
    void edgeCases() {
        for (String ok : new String[]{"2.0.0", "5.1.1", "4.7.650", "5.123.456", "4.0.1"}) {
            assertTrue(SmtpReply.isEnhancedCode(ok), ok);
        }
        for (String bad : new String[]{"", "5", "5.", "5.1", "5.1.", "5..1", "3.1.1", "5.1234.1", "5.1.1234",
                "5.1.1.", ".5.1.1", "5,1,1", "5.1.1 ", " 5.1.1", "5.\u0661.1", "6.1.1", "5.a.1"}) {
            assertFalse(SmtpReply.isEnhancedCode(bad), bad);
        }
    }

    @Test
    void theReplyStillTakesOnlyACodeOfItsOwnClass() {
        assertEquals("5.1.1", SmtpReply.parse("550 5.1.1 no such user").enhancedCode());
        assertEquals(null, SmtpReply.parse("550 4.1.1 odd").enhancedCode());
        assertEquals("4.1.1 odd", SmtpReply.parse("550 4.1.1 odd").text());
    }
}
