package io.sluice.protocol.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote server chooses the text of its replies, and that text is kept: in the journal as a
 * deferral or bounce reason, in events, in DSNs. A hostile server may send 256 lines of 4 KB;
 * what Sluice keeps of one reply's text is bounded by {@link 1024}.
 */
class ReplyTextCapTest {

    private static ReplyLines decode(String wire) {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpReplyDecoder());
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.UTF_8));
        return ch.readInbound();
    }

    @Test
    void aHugeMultilineReplyKeepsAtMostTheCapOfText() {
        StringBuilder wire = new StringBuilder();
        String chunk = "x".repeat(4000);
        for (int i = 0; i < 200; i++) {
            wire.append("550-5.7.1 ").append(chunk).append("\r\n");
        }
        wire.append("550 5.7.1 end\r\n");
        ReplyLines r = decode(wire.toString());
        assertEquals(550, r.reply().code());
        assertEquals("5.7.1", r.reply().enhancedCode());
        assertTrue(r.reply().text().length() <= SmtpReplyDecoder.MAX_TEXT,
                "text of " + r.reply().text().length() + " chars kept");
        assertTrue(r.reply().text().endsWith("[truncated]"), "a cut text says so");
    }

    @Test
    void anOrdinaryReplyIsKeptWhole() {
        ReplyLines r = decode("451 4.7.1 greylisted, try again in 300 seconds\r\n");
        assertEquals("greylisted, try again in 300 seconds", r.reply().text());
    }

    @Test
    void ehloExtensionsStillSeeEveryLine() {
        StringBuilder wire = new StringBuilder("250-mx.example.test hello " + "y".repeat(3000) + "\r\n");
        wire.append("250-PIPELINING\r\n250 SMTPUTF8\r\n");
        ReplyLines r = decode(wire.toString());
        assertEquals(3, r.lines().size());
        assertEquals("250 SMTPUTF8", r.lines().get(2));
    }
}
