package io.sluice.daemon.ingress.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnhancedRepliesTest {

    @Test
    void acceptedSessionsSendRepliesWithoutWaitingForAcks() throws IOException {
        try (java.net.ServerSocket server = EnhancedReplies.serverSocket()) {
            server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            try (java.net.Socket client = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(),
                    server.getLocalPort());
                 java.net.Socket accepted = server.accept()) {
                // pipelined replies are separate writes; Nagle would hold each behind the last ACK
                org.junit.jupiter.api.Assertions.assertTrue(accepted.getTcpNoDelay());
            }
        }
    }

    @Test
    void repliesWithoutEnhancedCodeGetOne() {
        assertEquals("500 5.5.2 Error: command not implemented\r\n",
                EnhancedReplies.rewrite("500 Error: command not implemented\r\n"));
        assertEquals("503 5.5.1 Error: need RCPT command\r\n", EnhancedReplies.rewrite("503 Error: need RCPT command\r\n"));
        assertEquals("421 4.4.2 Timeout waiting for data from client.\r\n",
                EnhancedReplies.rewrite("421 Timeout waiting for data from client.\r\n"));
    }

    @Test
    void repliesThatHaveOneOrNeedNoneAreLeftAlone() {
        for (String line : new String[]{"550 5.1.1 no such user\r\n", "220 host ESMTP Sluice\r\n",
                "250-8BITMIME\r\n", "250 Ok\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n", "garbage\r\n"}) {
            assertEquals(line, EnhancedReplies.rewrite(line));
        }
    }

    @Test
    void streamRewritesLineByLine() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        EnhancedReplies.ReplyRewriter out = new EnhancedReplies.ReplyRewriter(sink);
        out.write("501 Syntax: MAIL FROM: <address>\r\n250 Ok\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals("501 5.5.4 Syntax: MAIL FROM: <address>\r\n250 Ok\r\n", sink.toString(StandardCharsets.US_ASCII));
    }

    /* Issue 14: lines written from the buffer as they are must be exactly what rewriting would give. */
    @Test
    void linesPassedUnchangedAreTheRewrittenBytes() {
        java.util.Random r = new java.util.Random(14);
        String[] starts = {"250 ", "250-", "354 ", "220 ", "221 ", "550 ", "25", "2500", "25a ", "354-", "220-"};
        String alphabet = "abc XYZ 2.0.0 <>@.:-\u00e9\u20ac";
        int unchanged = 0;
        for (int round = 0; round < 50_000; round++) {
            StringBuilder b = new StringBuilder(starts[r.nextInt(starts.length)]);
            int len = r.nextInt(30);
            for (int i = 0; i < len; i++) {
                b.append(r.nextInt(20) == 0 ? alphabet.charAt(r.nextInt(alphabet.length())) : (char) (32 + r.nextInt(95)));
            }
            b.append("\r\n");
            byte[] line = b.toString().getBytes(r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            byte[] buffer = java.util.Arrays.copyOf(line, line.length + 7); // the rewriter's buffer is larger
            if (EnhancedReplies.passesUnchanged(buffer, line.length)) {
                unchanged++;
                org.junit.jupiter.api.Assertions.assertArrayEquals(EnhancedReplies.rewrite(buffer, line.length), line, b.toString());
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(unchanged > 10_000, "the fast path was taken " + unchanged + " times");
        byte[] ehlo = "250-8BITMIME\r\n".getBytes(StandardCharsets.US_ASCII);
        org.junit.jupiter.api.Assertions.assertFalse(EnhancedReplies.passesUnchanged(ehlo, ehlo.length));
    }

    @Test
    void theStreamStillRewritesWhatNeedsIt() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (EnhancedReplies.ReplyRewriter out = new EnhancedReplies.ReplyRewriter(sink)) {
            out.write("250 2.0.0 Ok: queued as X\r\n354 End data with <CR><LF>.<CR><LF>\r\n503 Error: need RCPT command\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write("250-8BITMIME\r\n250 caf\u00e9\r\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("250 2.0.0 Ok: queued as X\r\n354 End data with <CR><LF>.<CR><LF>\r\n503 5.5.1 Error: need RCPT command\r\n"
                + "250-PIPELINING\r\n250-8BITMIME\r\n250 caf\u00e9\r\n", sink.toString(StandardCharsets.UTF_8));
    }
}
