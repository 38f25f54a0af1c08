package io.sluice.protocol.address;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The address parser meets every string a client can send: it answers with an address or an
 * {@link AddressSyntaxException}, nothing else, and what it accepts prints back to itself.
 */
class MailAddressPropertyTest {

    /** Strings made of the characters that matter to the grammar, so most reach deep into it. */
    @Provide
    Arbitrary<String> addressLike() {
        return Arbitraries.strings()
                .withChars("ab09.-_+@\"\\[]:()<> ,;\t\u00e9\u4e2d\u0000\r\n")
                .withChars("IPv6")
                .ofMaxLength(80);
    }

    @Property(tries = 3000)
    void anyStringIsAnAddressOrASyntaxError(@ForAll("addressLike") String s, @ForAll boolean smtpUtf8) {
        try {
            MailAddress.parse(s, smtpUtf8);
        } catch (AddressSyntaxException expected) {
            // the documented refusal
        }
    }

    @Property(tries = 2000)
    void anyUnicodeStringIsAnAddressOrASyntaxError(@ForAll @StringLength(max = 300) String s,
                                                   @ForAll boolean smtpUtf8) {
        try {
            MailAddress.parse(s, smtpUtf8);
        } catch (AddressSyntaxException expected) {
            // the documented refusal
        }
    }

    @Property(tries = 3000)
    void whatParsesPrintsBackToItself(@ForAll("addressLike") String s, @ForAll boolean smtpUtf8)
            throws AddressSyntaxException {
        MailAddress parsed;
        try {
            parsed = MailAddress.parse(s, smtpUtf8);
        } catch (AddressSyntaxException refused) {
            return;
        }
        assertEquals(parsed, MailAddress.parse(parsed.toString(), smtpUtf8));
    }

    @Provide
    Arbitrary<String> wellFormed() {
        Arbitrary<String> atom = Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789+_-").ofMinLength(1)
                .ofMaxLength(12).filter(a -> !a.startsWith("-"));
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1)
                .ofMaxLength(12);
        Arbitrary<String> local = atom.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        return net.jqwik.api.Combinators.combine(local, domain).as((l, d) -> l + "@" + d);
    }

    @Property(tries = 1000)
    void wellFormedAddressesParseAndRoundTrip(@ForAll("wellFormed") String s) throws AddressSyntaxException {
        MailAddress parsed = MailAddress.parse(s);
        assertEquals(s, parsed.toString());
    }
}
