package io.sluice.protocol.mime;

import io.sluice.protocol.bounce.BounceParser;
import io.sluice.protocol.feedback.FeedbackParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The MIME, DSN and ARF parsers read mail from anyone (bounces and complaints arrive on the open
 * port) and are documented never to throw. Inputs are the real samples of testdata/corpora,
 * damaged: bytes overwritten, cut short, and sliced, so the parsers meet the structures they
 * know broken in every place, plus plain random bytes.
 */
class ReportParsingPropertyTest {
    private static final List<byte[]> SAMPLES = samples();
    private static final BounceParser BOUNCES = new BounceParser();
    private static final FeedbackParser FEEDBACK = new FeedbackParser();

    private static List<byte[]> samples() {
        Path corpora = Path.of(System.getProperty("sluice.repo", "..")).resolve("testdata/corpora");
        try (Stream<Path> files = Files.walk(corpora)) {
            return files.filter(p -> p.toString().endsWith(".eml")).sorted().map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample with up to 8 bytes overwritten by structural characters, then maybe cut short. */
    @Provide
    Arbitrary<byte[]> damagedSamples() {
        Arbitrary<byte[]> sample = Arbitraries.of(SAMPLES);
        Arbitrary<List<Double>> where = Arbitraries.doubles().between(0, 1).list().ofMaxSize(8);
        Arbitrary<List<Byte>> what = Arbitraries.of((byte) '\r', (byte) '\n', (byte) '-', (byte) ':', (byte) '"',
                (byte) ';', (byte) '=', (byte) ' ', (byte) 0, (byte) 0xff, (byte) '?', (byte) 'B').list().ofSize(8);
        Arbitrary<Double> cut = Arbitraries.doubles().between(0, 1);
        return Combinators.combine(sample, where, what, cut).as((s, w, b, c) -> {
            byte[] out = s.clone();
            for (int i = 0; i < w.size() && out.length > 0; i++) {
                out[(int) (w.get(i) * (out.length - 1))] = b.get(i);
            }
            int length = c < 0.5 ? out.length : (int) (c * out.length);
            return java.util.Arrays.copyOf(out, length);
        });
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                Arbitraries.strings().withChars("\r\n:;=\"-boundary Content-Type multipart/report; "
                        + "message/delivery-status feedback-report Final-Recipient rfc822; Status 5.1.1")
                        .ofMaxLength(2000).map(String::getBytes));
    }

    @Property(tries = 1500)
    void damagedReportsNeverThrow(@ForAll("damagedSamples") byte[] raw) {
        readEveryWay(raw);
    }

    @Property(tries = 1500)
    void arbitraryBytesNeverThrow(@ForAll("anyBytes") byte[] raw) {
        readEveryWay(raw);
    }

    private static void readEveryWay(byte[] raw) {
        BOUNCES.parse(raw);
        FEEDBACK.parse(raw);
        MimePart part = MimePart.parse(raw);
        for (MimePart p : part.flatten()) {
            p.mediaType();
            p.parameter("charset");
            p.decodedBody();
            p.text();
            for (MimePart.Header h : p.headers()) {
                p.decodedHeader(h.name());
                HeaderParameters.get(h.value(), "boundary");
            }
        }
    }
}
