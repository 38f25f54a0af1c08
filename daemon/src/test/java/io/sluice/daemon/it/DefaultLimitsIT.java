package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the shipped defaults, a message of exactly sluice.smtp.max-message-bytes (50 MiB) goes through. */
class DefaultLimitsIT {
    private static final int DEFAULT_MAX = 50 * 1024 * 1024;

    @Test
    void messageOfExactlyFiftyMebibytesIsAcceptedAndDelivered(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir).set("sluice.smarthost", "127.0.0.1:" + sink.port()).start();
             SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            byte[] message = messageOfSize(DEFAULT_MAX);
            smtp.command("EHLO big.test");
            smtp.command("MAIL FROM:<big@src.test>");
            smtp.command("RCPT TO:<big@dest.test>");
            assertEquals(354, smtp.command("DATA").code());
            byte[] wire = Arrays.copyOf(message, message.length + 3);
            wire[message.length] = '.';
            wire[message.length + 1] = '\r';
            wire[message.length + 2] = '\n';
            SmtpDialogue.Reply reply = smtp.raw(wire);
            assertEquals(250, reply.code(), reply.toString());

            SmtpSink.Message got = sink.awaitMessages(1, Duration.ofSeconds(120)).get(0);
            byte[] content = got.content();
            assertTrue(content.length > message.length);
            assertTrue(Arrays.equals(message, 0, message.length, content, content.length - message.length, content.length),
                    "delivered byte for byte");

            // one octet more is refused
            smtp.command("MAIL FROM:<big@src.test>");
            smtp.command("RCPT TO:<big@dest.test>");
            assertEquals(354, smtp.command("DATA").code());
            byte[] over = messageOfSize(DEFAULT_MAX + 1);
            byte[] overWire = Arrays.copyOf(over, over.length + 3);
            overWire[over.length] = '.';
            overWire[over.length + 1] = '\r';
            overWire[over.length + 2] = '\n';
            SmtpDialogue.Reply refused = smtp.raw(overWire);
            assertEquals(552, refused.code(), refused.toString());
        }
    }

    /** Headers with a Date and Message-ID, then 998-octet lines, padded to exactly {@code size} octets. */
    private static byte[] messageOfSize(int size) {
        String headers = "Subject: fifty mebibytes\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <max-" + size + "@src.test>\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(headers.getBytes(StandardCharsets.US_ASCII));
        byte[] line = ("b".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        while (out.size() + line.length <= size - 3) {
            out.writeBytes(line);
        }
        int rest = size - out.size();
        out.writeBytes(("c".repeat(rest - 2) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = out.toByteArray();
        assertEquals(size, bytes.length);
        return bytes;
    }
}
