package io.sluice.daemon.it;

import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.ExternalTool;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real clients in, real sinks out: swaks and postfix's smtp-source inject into the packaged
 * daemon; postfix's smtp-sink receives, reached through a smarthost or through an MX record
 * served by dnsmasq. The message must arrive byte for byte, with only our Received on top.
 */
class RelayEndToEndIT {

    private static final String MESSAGE = String.join("\r\n",
            "From: Alice <alice@src.test>",
            "To: Bob <bob@example.test>",
            "Subject: byte for byte",
            "Date: Sat, 28 Nov 2026 10:00:00 +0000",
            "Message-ID: <e2e-1@src.test>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "first line",
            ".a line that starts with a dot",
            "..two dots",
            "",
            "  indented, trailing space ",
            "last line",
            "");

    @Test
    void swaksToMxFoundThroughRealDnsArrivesByteForByte(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.10", 0).start();
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx1.example.test", "127.0.0.10")
                     .mx("example.test", "mx1.example.test", 10)
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", sink.port())
                     .start()) {
            Path file = dir.resolve("message.eml");
            // swaks ends DATA with CRLF "." CRLF after the file's last line: give it the message
            // without its final line break so the bytes on the wire are exactly MESSAGE
            Files.writeString(file, MESSAGE.substring(0, MESSAGE.length() - 2));
            Process swaks = new ProcessBuilder(ExternalTool.require("swaks").toString(),
                    "--server", "127.0.0.1:" + daemon.smtpPort(), "--from", "alice@src.test",
                    "--to", "bob@example.test", "--data", file.toString(), "--helo", "client.src.test")
                    .redirectErrorStream(true).start();
            String transcript = new String(swaks.getInputStream().readAllBytes());
            assertTrue(swaks.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, swaks.exitValue(), transcript);
            assertTrue(transcript.contains("250 2.0.0 Ok: queued as "), transcript);

            SmtpSink.Message received = sink.awaitMessages(1, Duration.ofSeconds(30)).get(0);
            assertEquals("alice@src.test", received.mailFrom());
            assertEquals(List.of("bob@example.test"), received.rcptTo());
            String content = received.contentAsString();
            assertTrue(content.endsWith(MESSAGE), "original bytes follow our trace header unchanged:\n" + content);
            String added = content.substring(0, content.length() - MESSAGE.length());
            assertTrue(added.startsWith("Received: from client.src.test ([127.0.0.1])\r\n\tby "), added);
            assertTrue(added.contains("\r\n\tfor <bob@example.test>; "), "single recipient is named: " + added);
            assertEquals(1, added.split("\r\n(?![ \t])").length, "exactly one header field added: " + added);

            daemon.events().await("Delivery to bob", Duration.ofSeconds(10),
                    e -> "Delivery".equals(e.path("type").asText()) && e.path("host").asText().startsWith("mx1.example.test"));
        }
    }

    @Test
    void smtpSourceThroughSmarthostDeliversEveryMessage(@TempDir Path dir) throws Exception {
        int messages = 300;
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.spool.durability", "fsync")
                     .start()) {
            Process source = new ProcessBuilder(ExternalTool.require("smtp-source").toString(),
                    "-s", "5", "-m", String.valueOf(messages), "-l", "2048",
                    "-f", "load@src.test", "-t", "sink@dest.test", "127.0.0.1:" + daemon.smtpPort())
                    .redirectErrorStream(true).start();
            String out = new String(source.getInputStream().readAllBytes());
            assertTrue(source.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, source.exitValue(), out);

            List<SmtpSink.Message> received = sink.awaitMessages(messages, Duration.ofSeconds(60));
            assertEquals(messages, received.size());
            for (SmtpSink.Message m : received) {
                assertEquals("load@src.test", m.mailFrom());
                assertEquals(List.of("sink@dest.test"), m.rcptTo());
                assertTrue(m.contentAsString().startsWith("Received: from "), "trace header on top");
            }
            daemon.events().await("all deliveries", Duration.ofSeconds(10),
                    e -> daemon.events().ofType("Delivery").size() == messages);
            assertEquals(messages, daemon.events().ofType("Reception").size());
        }
    }

    @Test
    void severalRecipientsBecomeOneDeliveryEachAndNoneIsNamedInReceived(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir).set("sluice.smarthost", "127.0.0.1:" + sink.port()).start();
             SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            smtp.command("MAIL FROM:<a@src.test>");
            assertEquals(250, smtp.command("RCPT TO:<one@dest.test>").code());
            assertEquals(250, smtp.command("RCPT TO:<two@dest.test>").code());
            assertEquals(250, smtp.command("RCPT TO:<three@other.test>").code());
            assertEquals(250, smtp.data("Subject: three\r\n\r\nhello\r\n").code());

            // one delivery per recipient (its own outcome and event); recipients of one message going to
            // the same site may share one transaction (several RCPT, one body)
            for (String r : List.of("one@dest.test", "two@dest.test", "three@other.test")) {
                daemon.events().await("delivery to " + r, Duration.ofSeconds(30), EventLogReader.type("Delivery", r));
            }
            List<SmtpSink.Message> received = sink.messages();
            assertEquals(List.of("one@dest.test", "three@other.test", "two@dest.test"),
                    received.stream().flatMap(m -> m.rcptTo().stream()).sorted().toList());
            for (SmtpSink.Message m : received) {
                String content = m.contentAsString();
                assertTrue(!content.contains("\tfor <"), "no 'for' clause with several recipients: " + content);
                assertTrue(content.contains("\r\nDate: "), "Date added when missing");
                assertTrue(content.contains("\r\nMessage-ID: <"), "Message-ID added when missing");
                assertTrue(content.endsWith("\r\n\r\nhello\r\n"), content);
            }
        }
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
