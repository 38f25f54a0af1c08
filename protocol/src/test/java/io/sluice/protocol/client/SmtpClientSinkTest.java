package io.sluice.protocol.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.protocol.testing.SmtpSink;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against postfix's real smtp-sink. */
class SmtpClientSinkTest {
    private static SmtpClient client;

    @BeforeAll
    static void startClient() {
        ClientSettings s = ClientSettings.defaults("client.sluice.test")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
        client = new SmtpClient(s, 1);
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    @Test
    void deliversSeveralMessagesOverOneConnectionByteForByte() throws Exception {
        try (SmtpSink sink = SmtpSink.start()) {
            SmtpConnection c = client.connect(sink.address(), InetAddress.getLoopbackAddress()).get(10, TimeUnit.SECONDS);
            assertEquals(220, c.greeting().code());
            assertTrue(c.extensions().contains("8BITMIME"), c.extensions().toString());
            assertFalse(c.tlsActive());
            byte[][] bodies = {
                    crlf("Subject: one\r\n\r\nHello.\r\n"),
                    crlf("Subject: two\r\n\r\n.\r\n..x\r\n.leading dot\r\nmiddle . dot\r\n"),
                    crlf("Subject: three\r\n\r\nno trailing newline"),
                    ("Subject: four \u00e9\r\n\r\n8-bit \u00fc\u00f1\u00ee\r\n").getBytes(StandardCharsets.UTF_8),
            };
            for (int i = 0; i < bodies.length; i++) {
                TransactionResult r = c.send(new Transaction("sender" + i + "@sluice.test",
                        List.of("rcpt" + i + "a@example.test", "rcpt" + i + "b@example.test"), bodies[i])).get(10, TimeUnit.SECONDS);
                assertEquals(250, r.mailReply().code());
                assertEquals(250, r.dataReply().code(), r.toString());
                assertTrue(r.delivered());
                assertEquals(r.dataReply(), r.replyFor("rcpt" + i + "b@example.test"));
            }
            c.quit().get(10, TimeUnit.SECONDS);
            assertFalse(c.isOpen());

            List<SmtpSink.Message> got = sink.awaitMessages(bodies.length, Duration.ofSeconds(10)).stream()
                    .sorted(Comparator.comparing(SmtpSink.Message::mailFrom)).toList();
            for (int i = 0; i < bodies.length; i++) {
                SmtpSink.Message m = got.get(i);
                assertEquals("sender" + i + "@sluice.test", m.mailFrom());
                assertEquals(List.of("rcpt" + i + "a@example.test", "rcpt" + i + "b@example.test"), m.rcptTo());
                byte[] expected = DotStuffing.endsWithCrlf(bodies[i]) ? bodies[i]
                        : concat(bodies[i], crlf("\r\n"));
                assertArrayEquals(expected, m.content(), "message " + i + ": " + m.contentAsString());
            }
            assertTrue(got.get(3).mailArgs().contains("BODY=8BITMIME"), got.get(3).mailArgs());
            assertFalse(got.get(0).mailArgs().contains("BODY="), got.get(0).mailArgs());
        }
    }

    @Test
    void rcptRefusalsAreValuesAndDataIsSkipped() throws Exception {
        try (SmtpSink temp = SmtpSink.builder().softReject("RCPT").start();
             SmtpSink perm = SmtpSink.builder().hardReject("RCPT").start()) {
            SmtpConnection c = client.connect(temp.address(), null).get(10, TimeUnit.SECONDS);
            TransactionResult r = c.send(new Transaction("s@sluice.test", List.of("a@example.test"), crlf("x\r\n"))).get(10, TimeUnit.SECONDS);
            assertEquals(250, r.mailReply().code());
            assertTrue(r.recipients().get(0).reply().isTransient(), r.toString());
            assertNull(r.dataReply());
            assertTrue(r.replyFor("a@example.test").isTransient());
            // The open transaction is reset before the next one on the same connection.
            TransactionResult again = c.send(new Transaction("s2@sluice.test", List.of("b@example.test"), crlf("y\r\n"))).get(10, TimeUnit.SECONDS);
            assertEquals(250, again.mailReply().code(), again.toString());
            c.quit().get(10, TimeUnit.SECONDS);

            SmtpConnection p = client.connect(perm.address(), null).get(10, TimeUnit.SECONDS);
            TransactionResult hard = p.send(new Transaction("", List.of("a@example.test"), crlf("x\r\n"))).get(10, TimeUnit.SECONDS);
            SmtpReply reply = hard.replyFor("a@example.test");
            assertTrue(reply.isPermanent(), reply.toString());
            p.quit().get(10, TimeUnit.SECONDS);
            assertEquals(0, temp.messages().size() + perm.messages().size());
        }
    }

    @Test
    void dataRefusalsAtTheCommandAndAfterTheDot() throws Exception {
        try (SmtpSink dataCommand = SmtpSink.builder().softReject("DATA").start();
             SmtpSink endOfData = SmtpSink.builder().hardReject(".").start()) {
            SmtpConnection c = client.connect(dataCommand.address(), null).get(10, TimeUnit.SECONDS);
            TransactionResult r = c.send(new Transaction("s@sluice.test", List.of("a@example.test", "b@example.test"),
                    crlf("x\r\n"))).get(10, TimeUnit.SECONDS);
            assertTrue(r.dataReply().isTransient(), r.toString());
            assertEquals(r.dataReply(), r.replyFor("b@example.test"));
            c.quit().get(10, TimeUnit.SECONDS);

            SmtpConnection e = client.connect(endOfData.address(), null).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 2; i++) { // the connection stays usable after a refused message
                TransactionResult refused = e.send(new Transaction("s@sluice.test", List.of("a@example.test"),
                        crlf("big\r\n"))).get(10, TimeUnit.SECONDS);
                assertTrue(refused.dataReply().isPermanent(), refused.toString());
                assertFalse(refused.delivered());
            }
            e.quit().get(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] crlf(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
