package io.sluice.protocol.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reply decoder meets a hostile server's bytes in any segmentation: it emits replies or
 * raises a {@link DecoderException} (which closes the session), nothing else, and never keeps
 * more than its bound of reply text.
 */
class SmtpReplyDecoderPropertyTest {

    @Provide
    Arbitrary<List<String>> segments() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789 -\r\n.abc\u00e9\u0000").ofMaxLength(40),
                Arbitraries.of("250-", "250 ", "220 ok\r\n", "5", "\r\n", "\n", "550-5.1.1 x\r\n"),
                Arbitraries.strings().withChars("x").ofMinLength(1000).ofMaxLength(5000));
        return piece.list().ofMaxSize(12);
    }

    @Property(tries = 2000)
    void anyBytesGiveRepliesOrAProtocolError(@ForAll("segments") List<String> segments) {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpReplyDecoder());
        try (AutoCloseable release = ch::finishAndReleaseAll) {
            for (String s : segments) {
                ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
                for (Object o; (o = ch.readInbound()) != null; ) {
                    ReplyLines r = (ReplyLines) o;
                    assertTrue(r.reply().text().length() <= SmtpReplyDecoder.MAX_TEXT);
                }
            }
        } catch (DecoderException expected) {
            // the documented refusal: the session ends as a protocol error (also when the channel
            // closes on an unfinished line)
        } catch (Exception other) {
            throw new AssertionError("escaped the decoder: " + other, other);
        }
    }
}
