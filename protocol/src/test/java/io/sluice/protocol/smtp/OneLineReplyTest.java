package io.sluice.protocol.smtp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A one-line reply parsed without substrings and a builder (issue 14) is what the general parser makes of it. */
class OneLineReplyTest {

    @Provide
    Arbitrary<String> lineLike() {
        Arbitrary<String> rest = Arbitraries.strings().withChars("0123456789 .-abcXYZ\t\u00e9\u2003").ofMaxLength(16);
        Arbitrary<String> code = Arbitraries.of("250", "550", "451", "354", "199", "600", "25x", "2", "");
        Arbitrary<String> enhanced = Arbitraries.of("", "2.0.0", "5.1.1", "4.7.650", "5.1234.1", "2.0.0.", "5.1", " 2.1.5");
        Arbitrary<String> sep = Arbitraries.of(" ", "-", "", "x", "  ");
        return Combinators.combine(code, sep, enhanced, rest).as((c, s, e, r) -> c + s + e + r);
    }

    @Property(tries = 100_000)
    void sameReplyOrSameRefusal(@ForAll("lineLike") String line) {
        assertEquals(outcome(() -> SmtpReply.parseLines(List.of(line))), outcome(() -> SmtpReply.parseOne(line)), line);
    }

    private static String outcome(java.util.function.Supplier<SmtpReply> parse) {
        try {
            SmtpReply r = parse.get();
            return r.code() + "|" + r.enhancedCode() + "|" + r.text();
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Test
    void examples() {
        assertEquals(new SmtpReply(250, "2.0.0", "Ok: queued as X"), SmtpReply.parse("250 2.0.0 Ok: queued as X"));
        assertEquals(new SmtpReply(354, null, "End data with <CR><LF>.<CR><LF>"),
                SmtpReply.parse("354 End data with <CR><LF>.<CR><LF>"));
        assertEquals(new SmtpReply(550, null, "4.1.1 odd"), SmtpReply.parse("550 4.1.1 odd"));
        assertEquals(new SmtpReply(250, null, ""), SmtpReply.parse("250"));
        assertEquals(new SmtpReply(250, "2.1.5", ""), SmtpReply.parse("250 2.1.5  "));
    }
}
