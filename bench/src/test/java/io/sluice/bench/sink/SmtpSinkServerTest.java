package io.sluice.bench.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpSinkServerTest {
    @TempDir
    Path tmp;
    private SmtpSinkServer sink;

    private int start(Path store, String... rules) {
        sink = new SmtpSinkServer("sink.test", SinkScript.parse(List.of(rules)), store, false, 1);
        return sink.listen(List.of(new InetSocketAddress("127.0.0.1", 0))).get(0).getPort();
    }

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void scriptedSharesAreDealtExactlyPerHundredRecipients() throws IOException {
        int port = start(null, "gmail.test:tempfail=10;permfail=5;perm-reply=550 5.1.1 <x> no such user");
        List<String> replies = new ArrayList<>();
        try (Dialogue d = new Dialogue(port)) {
            d.reply();
            d.command("EHLO client.test");
            for (int i = 0; i < 200; i++) {
                d.command("MAIL FROM:<a@b.test>");
                String r = d.command("RCPT TO:<u" + i + "@gmail.test>");
                replies.add(r);
                d.command("RSET");
            }
        }
        assertEquals(10, replies.stream().filter(r -> r.startsWith("550 5.1.1 <x> no such user")).count());
        assertEquals(20, replies.stream().filter(r -> r.startsWith("451 ")).count());
        assertEquals(170, replies.stream().filter(r -> r.startsWith("250 ")).count());
        SinkCounters.DomainCounts c = sink.counters().domain("gmail.test");
        assertEquals(10, c.permfailed.sum());
        assertEquals(20, c.tempfailed.sum());
    }

    @Test
    void overTheRateYahooAnswersTss04AndCloses() throws IOException {
        int port = start(null, "yahoo.test:rate=3/s;provider=yahoo");
        try (Dialogue d = new Dialogue(port)) {
            d.reply();
            d.command("EHLO client.test");
            d.command("MAIL FROM:<a@b.test>");
            String last = null;
            for (int i = 0; i < 10 && (last == null || last.startsWith("250")); i++) {
                last = d.command("RCPT TO:<u" + i + "@yahoo.test>");
            }
            assertTrue(last.startsWith("421 4.7.0 [TSS04] Messages from 127.0.0.1 temporarily deferred"), last);
            assertNull(d.reply(), "the connection is closed after a 421");
        }
        assertEquals(1, sink.counters().domain("yahoo.test").rateLimited.sum());
    }

    @Test
    void overTheRateMicrosoftAnswers451AndKeepsTheSession() throws IOException {
        int port = start(null, "*:rate=1/s;provider=microsoft");
        try (Dialogue d = new Dialogue(port)) {
            d.reply();
            d.command("EHLO client.test");
            d.command("MAIL FROM:<a@b.test>");
            String first = d.command("RCPT TO:<u1@outlook.test>");
            String second = d.command("RCPT TO:<u2@outlook.test>");
            assertTrue(first.startsWith("250") || second.startsWith("451 4.7.500 Server busy"), first + " / " + second);
            assertEquals("250 2.0.0 Ok", d.command("NOOP"));
        }
    }

    @Test
    void connectionsBeyondTheListenerLimitGet421() throws IOException {
        int port = start(null, "*:max-conns=1");
        try (Dialogue first = new Dialogue(port); Dialogue second = new Dialogue(port)) {
            assertTrue(first.reply().startsWith("220 "));
            String refused = second.reply();
            assertTrue(refused.startsWith("421 4.7.0 Too many concurrent SMTP connections"), refused);
            assertNull(second.reply());
        }
        assertEquals(1, sink.counters().connectionsRefused.sum());
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrderEvenWithLatency() throws IOException {
        int port = start(null, "slow.test:latency=50");
        try (Dialogue d = new Dialogue(port)) {
            d.reply();
            assertTrue(d.command("EHLO client.test").contains("PIPELINING"));
            d.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<x@slow.test>\r\nDATA\r\n");
            assertEquals("250 2.1.0 Ok", d.reply());
            assertEquals("250 2.1.5 Ok", d.reply());
            assertTrue(d.reply().startsWith("354"));
            // the end of DATA and the next transaction in one write: the delayed 250 comes first
            d.send("Subject: x\r\n\r\nbody\r\n.\r\nMAIL FROM:<c@d.test>\r\nNOOP\r\n");
            assertTrue(d.reply().startsWith("250 2.0.0 Ok: queued as"));
            assertEquals("250 2.1.0 Ok", d.reply());
            assertEquals("250 2.0.0 Ok", d.reply());
        }
    }

    @Test
    void dataEndsOnlyAtCrlfDotCrlfAndIsUnstuffed() throws IOException {
        Path store = tmp.resolve("store");
        Files.createDirectories(store);
        int port = start(store);
        String body = "X-Sluice-Bench-Id: t-1\r\nX-Sluice-Bench-Sent: 1\r\n\r\n"
                + "..leading dot\r\n"
                + "bare lf then dot\n.\nstill body\r\n"
                + ".\rnot the end\r\n"
                + "last\r\n";
        try (Dialogue d = new Dialogue(port)) {
            d.reply();
            d.command("EHLO client.test");
            d.command("MAIL FROM:<a@b.test>");
            d.command("RCPT TO:<x@sink.test>");
            assertTrue(d.command("DATA").startsWith("354"));
            d.send(body + ".\r\n");
            assertEquals("250 2.0.0 Ok: queued as t-1", d.reply());
        }
        String stored = Files.readString(store.resolve("t-1.eml"), StandardCharsets.US_ASCII);
        String expected = "X-Sluice-Bench-Id: t-1\r\nX-Sluice-Bench-Sent: 1\r\n\r\n"
                + ".leading dot\r\n"
                + "bare lf then dot\n.\nstill body\r\n"
                + "\rnot the end\r\n" // an unstuffed "." line start loses its dot, as RFC 5321 4.5.2 says
                + "last\r\n";
        assertEquals(expected, stored);
        assertEquals(1, sink.counters().sources().get("127.0.0.1"));
        assertEquals(1, sink.counters().domain("sink.test").accepted.sum());
    }

    @Test
    void commandsOutOfOrderAreRefusedWithoutEndingTheSession() throws IOException {
        int port = start(null);
        try (Dialogue d = new Dialogue(port)) {
            d.reply();
            assertTrue(d.command("RCPT TO:<x@y.test>").startsWith("503"));
            assertTrue(d.command("DATA").startsWith("503"));
            assertTrue(d.command("FOO").startsWith("500"));
            d.command("MAIL FROM:<a@b.test>");
            assertTrue(d.command("DATA").startsWith("554"));
            assertEquals("221 2.0.0 Bye", d.command("QUIT"));
        }
    }

    @Test
    void badScriptsAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SinkScript.parse(List.of("gmail.test:tempfail=80;permfail=30")));
        assertTrue(e.getMessage().contains("between 0 and 100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SinkScript.parse(List.of("x.test:colour=red")));
        assertTrue(e.getMessage().contains("unknown key 'colour'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SinkScript.parse(List.of("x.test:temp-reply=550 no")));
        assertTrue(e.getMessage().contains("4xx"), e.getMessage());
    }
}
