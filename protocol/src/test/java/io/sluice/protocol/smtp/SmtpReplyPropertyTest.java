package io.sluice.protocol.smtp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reply parsing meets whatever a remote server sends: a reply or an
 * {@link IllegalArgumentException}, nothing else; and a reply printed as one or many lines (with
 * or without the enhanced code repeated, as Postfix and Gmail do) parses back to itself.
 */
class SmtpReplyPropertyTest {

    @Provide
    Arbitrary<List<String>> replyLike() {
        Arbitrary<String> line = Arbitraries.strings().withChars("0123456789 -.abcXYZ\t\u00e9")
                .ofMaxLength(20);
        Arbitrary<String> coded = Combinators.combine(Arbitraries.integers().between(100, 699), line,
                Arbitraries.of(" ", "-", "", "x")).as((c, rest, sep) -> c + sep + rest);
        return Arbitraries.oneOf(line, coded).list().ofMaxSize(6);
    }

    @Property(tries = 3000)
    void anyLinesAreAReplyOrARefusal(@ForAll("replyLike") List<String> lines) {
        try {
            SmtpReply.parse(lines);
        } catch (IllegalArgumentException expected) {
            // the documented refusal
        }
    }

    @Provide
    Arbitrary<SmtpReply> replies() {
        Arbitrary<Integer> code = Arbitraries.integers().between(200, 599);
        Arbitrary<String> word = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(10)
                .filter(w -> !w.matches("[245]\\.\\d{1,3}\\.\\d{1,3}"));
        Arbitrary<String> text = word.list().ofMaxSize(8).map(w -> String.join(" ", w));
        Arbitrary<Boolean> enhanced = Arbitraries.of(true, false);
        Arbitrary<String> detail = Combinators.combine(Arbitraries.integers().between(0, 999),
                Arbitraries.integers().between(0, 999)).as((a, b) -> "." + a + "." + b);
        return Combinators.combine(code, enhanced, detail, text)
                .as((c, e, d, t) -> new SmtpReply(c, e && c / 100 != 3 ? (c / 100) + d : null, t));
    }

    @Property(tries = 2000)
    void aPrintedReplyParsesBackToItself(@ForAll("replies") SmtpReply reply, @ForAll boolean multiline,
                                         @ForAll boolean repeatEnhanced) {
        List<String> lines = new ArrayList<>();
        String[] words = reply.text().isEmpty() ? new String[] {""} : reply.text().split(" ");
        int n = multiline ? words.length : 1;
        for (int i = 0; i < n; i++) {
            String content = multiline ? words[i] : reply.text();
            boolean last = i == n - 1;
            StringBuilder line = new StringBuilder().append(reply.code()).append(last ? ' ' : '-');
            if (reply.enhancedCode() != null && (i == 0 || repeatEnhanced)) {
                line.append(reply.enhancedCode()).append(' ');
            }
            lines.add(line.append(content).toString());
        }
        assertEquals(reply, SmtpReply.parse(lines), lines.toString());
    }
}
