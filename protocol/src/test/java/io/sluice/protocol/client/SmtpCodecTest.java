package io.sluice.protocol.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sluice.protocol.smtp.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level tests of the client's codecs with EmbeddedChannel. */
class SmtpCodecTest {

    @Test
    void dotStuffingDoublesLeadingDotsAndTerminates() {
        assertBody("a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n");
        assertBody("..x\r\n", "...x\r\n.\r\n");
        assertBody(".\r\n", "..\r\n.\r\n");
        assertBody("x.y\r\n.z\r\n", "x.y\r\n..z\r\n.\r\n");
        assertBody("a\r\n\r\n.\r\n.\r\n", "a\r\n\r\n..\r\n..\r\n.\r\n");
    }

    @Test
    void bodyWithoutTrailingCrlfGetsOne() {
        assertBody("last line", "last line\r\n.\r\n");
        assertBody("ends with dot\r\n.", "ends with dot\r\n..\r\n.\r\n");
        assertBody("cr only\r", "cr only\r\r\n.\r\n");
    }

    @Test
    void emptyBodyIsJustTheTerminator() {
        assertBody("", ".\r\n");
    }

    @Test
    void bareLfIsTreatedAsALineStartSoNothingCanEndTheDataEarly() {
        assertBody("a\n.\r\nb\r\n", "a\n..\r\nb\r\n.\r\n");
        assertBody("a\n.\nb\r\n", "a\n..\nb\r\n.\r\n");
    }

    @Test
    void eightBitBytesPassUnchanged() {
        byte[] content = {'S', ':', ' ', (byte) 0xC3, (byte) 0xA9, '\r', '\n', (byte) 0xFF, '.', '\r', '\n'};
        byte[] expected = {'S', ':', ' ', (byte) 0xC3, (byte) 0xA9, '\r', '\n', (byte) 0xFF, '.', '\r', '\n', '.', '\r', '\n'};
        assertArrayEquals(expected, encodeBody(content));
        assertEquals(true, DotStuffing.has8BitBytes(content));
        assertEquals(false, DotStuffing.has8BitBytes("plain".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void bodyIsNotCopied() {
        byte[] content = "a\r\n.b\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuf encoded = DotStuffing.encode(content);
        content[0] = 'Z'; // a view over the caller's array sees the change
        assertEquals("Z\r\n..b\r\n.\r\n", encoded.toString(StandardCharsets.US_ASCII));
        encoded.release();
    }

    @Test
    void commandsAreWrittenWithCrlfAndUtf8() {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpClientEncoder());
        ch.writeOutbound(new SmtpCommand("MAIL FROM:<j\u00f6rg@example.test> SMTPUTF8"));
        ByteBuf out = ch.readOutbound();
        assertArrayEquals("MAIL FROM:<j\u00f6rg@example.test> SMTPUTF8\r\n".getBytes(StandardCharsets.UTF_8),
                ByteBufUtil.getBytes(out));
        out.release();
        assertThrows(IllegalArgumentException.class, () -> new SmtpCommand("RCPT TO:<a@b>\r\nDATA"));
    }

    @Test
    void repliesAreDecodedAcrossArbitraryChunks() {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpReplyDecoder());
        String wire = "220 mx.test ESMTP\r\n250-mx.test\r\n250-SIZE 1000\r\n250 8BITMIME\r\n550 5.1.1 no\n";
        byte[] bytes = wire.getBytes(StandardCharsets.US_ASCII);
        for (byte b : bytes) { // one byte at a time: worst-case fragmentation
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        ReplyLines greeting = ch.readInbound();
        assertEquals(SmtpReply.parse("220 mx.test ESMTP"), greeting.reply());
        ReplyLines ehlo = ch.readInbound();
        assertEquals(List.of("250-mx.test", "250-SIZE 1000", "250 8BITMIME"), ehlo.lines());
        assertEquals("mx.test SIZE 1000 8BITMIME", ehlo.reply().text());
        assertEquals(java.util.Map.of("SIZE", "1000", "8BITMIME", ""),
                SmtpConnection.parseExtensions(ehlo.lines()));
        ReplyLines rejected = ch.readInbound();
        assertEquals(SmtpReply.of(550, "5.1.1", "no"), rejected.reply());
        assertNull(ch.readInbound());
    }

    @Test
    void garbageAndOverlongLinesAreProtocolErrors() {
        EmbeddedChannel garbage = new EmbeddedChannel(new SmtpReplyDecoder());
        assertThrows(DecoderException.class,
                () -> garbage.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 400 Bad\r\n", StandardCharsets.US_ASCII)));
        EmbeddedChannel mixed = new EmbeddedChannel(new SmtpReplyDecoder());
        assertThrows(DecoderException.class,
                () -> mixed.writeInbound(Unpooled.copiedBuffer("250-a\r\n550 b\r\n", StandardCharsets.US_ASCII)));
        EmbeddedChannel longLine = new EmbeddedChannel(new SmtpReplyDecoder());
        assertThrows(DecoderException.class, () -> longLine.writeInbound(
                Unpooled.copiedBuffer("250 " + "x".repeat(SmtpReplyDecoder.MAX_LINE + 10), StandardCharsets.US_ASCII)));
    }

    private static void assertBody(String content, String wire) {
        assertEquals(wire, new String(encodeBody(content.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1));
    }

    private static byte[] encodeBody(byte[] content) {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpClientEncoder());
        ch.writeOutbound(new MessageBody(content));
        ByteBuf out = ch.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        ch.finishAndReleaseAll();
        return bytes;
    }
}
