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
}
