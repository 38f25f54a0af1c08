package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets a precise reply (code + enhanced code) and the session, and the daemon, keep
 * serving: every test ends by completing a good transaction on the same connection.
 */
class BadInputIT {
    private static final int MAX_BYTES = 256 * 1024;
    private static Path dir;
    private static SmtpSink sink;
    private static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("sluice-bad-input");
        sink = SmtpSink.start();
        daemon = DaemonProcess.in(dir)
                .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                .set("sluice.smtp.max-message-bytes", MAX_BYTES)
                .set("sluice.smtp.max-recipients", 3)
                .set("sluice.relay.networks", "127.0.0.1/32,::1")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        sink.close();
    }

    private static SmtpDialogue session() throws IOException {
        SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort());
        assertEquals(220, smtp.greeting().code());
        assertEquals(250, smtp.command("EHLO client.test").code());
        return smtp;
    }

    /** A good transaction still goes through on this connection. */
    private static void stillServes(SmtpDialogue smtp) throws IOException {
        assertEquals(250, smtp.command("RSET").code());
        assertEquals(250, smtp.command("MAIL FROM:<ok@src.test>").code());
        assertEquals(250, smtp.command("RCPT TO:<ok@dest.test>").code());
        SmtpDialogue.Reply done = smtp.data("Subject: still fine\r\n\r\nok\r\n");
        assertEquals(250, done.code(), done.toString());
        assertTrue(done.text().startsWith("2.0.0 Ok: queued as "), done.toString());
    }

    @Test
    void unknownCommandGets500WithEnhancedCode() throws IOException {
        try (SmtpDialogue smtp = session()) {
            SmtpDialogue.Reply reply = smtp.command("FROBNICATE now");
            assertEquals(500, reply.code());
            assertTrue(reply.text().startsWith("5.5.2 "), reply.toString());
            stillServes(smtp);
        }
    }

    @Test
    void badAddressSyntaxIsRefusedPrecisely() throws IOException {
        try (SmtpDialogue smtp = session()) {
            SmtpDialogue.Reply from = smtp.command("MAIL FROM:<two@@at.test>");
            assertEquals(553, from.code());
            assertTrue(from.text().startsWith("5.1.7 "), from.toString());
            assertEquals(250, smtp.command("RSET").code());
            assertEquals(250, smtp.command("MAIL FROM:<ok@src.test>").code());
            for (String bad : List.of("RCPT TO:<no-domain>", "RCPT TO:<a b@dest.test>", "RCPT TO:<x@-bad-.test>")) {
                SmtpDialogue.Reply rcpt = smtp.command(bad);
                assertEquals(501, rcpt.code(), bad + " -> " + rcpt);
                assertTrue(rcpt.text().startsWith("5.1.3 "), rcpt.toString());
            }
            stillServes(smtp);
        }
    }

    @Test
    void oversizedDataIsDrainedThenRefusedWith552() throws IOException {
        try (SmtpDialogue smtp = session()) {
            smtp.command("MAIL FROM:<big@src.test>");
            smtp.command("RCPT TO:<big@dest.test>");
            String line = "x".repeat(500) + "\r\n";
            SmtpDialogue.Reply reply = smtp.data("Subject: too big\r\n\r\n" + line.repeat(MAX_BYTES / line.length() + 10));
            assertEquals(552, reply.code());
            assertTrue(reply.text().startsWith("5.3.4 "), reply.toString());
            // the refused body was not taken for commands: the next transaction is clean
            assertEquals(250, smtp.command("MAIL FROM:<ok@src.test>").code());
            stillServes(smtp);
        }
    }

    @Test
    void messageOfExactlyTheMaximumSizeIsAccepted() throws Exception {
        try (SmtpDialogue smtp = session()) {
            smtp.command("MAIL FROM:<max@src.test>");
            smtp.command("RCPT TO:<max@dest.test>");
            String headers = "Subject: exactly the limit\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                    + "Message-ID: <max-size@src.test>\r\n\r\n";
            String line = "y".repeat(98) + "\r\n";
            int bodyBytes = MAX_BYTES - headers.length();
            String body = line.repeat(bodyBytes / line.length());
            int rest = bodyBytes - body.length();
            body = body + "z".repeat(rest - 2) + "\r\n";
            String message = headers + body;
            assertEquals(MAX_BYTES, message.getBytes(StandardCharsets.US_ASCII).length);
            assertEquals(250, smtp.data(message).code());
            SmtpSink.Message got = SinkWaits.await(sink, "of maximum size", Duration.ofSeconds(30),
                    SinkWaits.containing("<max-size@src.test>"));
            assertTrue(got.contentAsString().endsWith(message));
        }
    }

    @Test
    void lineOver998OctetsIsRefusedWith550() throws IOException {
        try (SmtpDialogue smtp = session()) {
            smtp.command("MAIL FROM:<long@src.test>");
            smtp.command("RCPT TO:<long@dest.test>");
            SmtpDialogue.Reply reply = smtp.data("Subject: long\r\n\r\n" + "l".repeat(999) + "\r\n");
            assertEquals(550, reply.code());
            assertTrue(reply.text().startsWith("5.6.0 "), reply.toString());
            stillServes(smtp);
        }
    }

    @Test
    void tooManyReceivedHeadersIsALoop() throws IOException {
        try (SmtpDialogue smtp = session()) {
            smtp.command("MAIL FROM:<loop@src.test>");
            smtp.command("RCPT TO:<loop@dest.test>");
            String received = "Received: from a by b; Sat, 28 Nov 2026 10:00:00 +0000\r\n";
            SmtpDialogue.Reply reply = smtp.data(received.repeat(51) + "Subject: loop\r\n\r\nbody\r\n");
            assertEquals(554, reply.code());
            assertTrue(reply.text().startsWith("5.4.6 "), reply.toString());
            stillServes(smtp);
        }
    }

    @Test
    void tooManyRecipientsGets452() throws IOException {
        try (SmtpDialogue smtp = session()) {
            smtp.command("MAIL FROM:<many@src.test>");
            for (int i = 0; i < 3; i++) {
                assertEquals(250, smtp.command("RCPT TO:<r" + i + "@dest.test>").code());
            }
            SmtpDialogue.Reply fourth = smtp.command("RCPT TO:<r3@dest.test>");
            assertEquals(452, fourth.code());
            assertTrue(fourth.text().startsWith("4.5.3 "), fourth.toString());
            stillServes(smtp);
        }
    }

    @Test
    void clientOutsideRelayNetworksGets554AtRcptNotAtConnect() throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort(), "127.0.0.2")) {
            assertEquals(220, smtp.greeting().code(), "anyone may connect");
            assertEquals(250, smtp.command("EHLO outsider.test").code());
            assertEquals(250, smtp.command("MAIL FROM:<outsider@src.test>").code());
            SmtpDialogue.Reply rcpt = smtp.command("RCPT TO:<victim@dest.test>");
            assertEquals(554, rcpt.code());
            assertTrue(rcpt.text().startsWith("5.7.1 "), rcpt.toString());
            assertEquals(250, smtp.command("NOOP").code(), "the session goes on");
        }
    }

    @Test
    void bareLineFeedsAreNormalisedAndOnlyCrLfDotCrLfEndsData() throws Exception {
        try (SmtpDialogue smtp = session()) {
            smtp.command("MAIL FROM:<smuggle@src.test>");
            smtp.command("RCPT TO:<smuggle@dest.test>");
            assertEquals(354, smtp.command("DATA").code());
            // "\n.\n" is not the end of data: what follows must stay message text, not commands
            String raw = "Subject: smuggling\nMessage-ID: <smuggle@src.test>\n\nhello\n.\nMAIL FROM:<evil@src.test>\r\n"
                    + "RCPT TO:<evil@dest.test>\r\nDATA\r\nevil\r\n.\r\n";
            SmtpDialogue.Reply reply = smtp.raw(raw.getBytes(StandardCharsets.US_ASCII));
            assertEquals(250, reply.code(), reply.toString());
            stillServes(smtp);
            SmtpSink.Message got = SinkWaits.await(sink, "with the smuggling attempt", Duration.ofSeconds(30),
                    SinkWaits.containing("<smuggle@src.test>"));
            String content = got.contentAsString();
            assertTrue(content.contains("\r\nSubject: smuggling\r\nMessage-ID: <smuggle@src.test>\r\n"), content);
            assertTrue(content.contains("\r\n\r\nhello\r\n.\r\nMAIL FROM:<evil@src.test>\r\nRCPT TO:<evil@dest.test>\r\n"
                    + "DATA\r\nevil\r\n"), content);
            Thread.sleep(500);
            assertFalse(sink.messages().stream().anyMatch(m -> m.rcptTo().contains("evil@dest.test")),
                    "no smuggled transaction");
        }
    }
}
