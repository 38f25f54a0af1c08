package io.sluice.bench.sink;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** complain=N: exactly N of every 100 accepted recipients complain, each with an ARF report to the feedback listener. */
class ComplaintReportsTest {
    private SmtpSinkServer sink;
    private ServerSocket feedback;
    private final List<String> reports = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException {
        if (sink != null) {
            sink.close();
        }
        if (feedback != null) {
            feedback.close();
        }
    }

    /* A feedback listener that takes every report (one per connection) and keeps its DATA. */
    private InetSocketAddress listen() throws IOException {
        feedback = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!feedback.isClosed()) {
                try (Socket s = feedback.accept()) {
                    take(s);
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return new InetSocketAddress(feedback.getInetAddress(), feedback.getLocalPort());
    }

    private void take(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = s.getOutputStream();
        out.write("220 fbl.test\r\n".getBytes(StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("DATA")) {
                out.write("354 go\r\n".getBytes(StandardCharsets.US_ASCII));
                StringBuilder data = new StringBuilder();
                while (!(line = in.readLine()).equals(".")) {
                    data.append(line).append('\n');
                }
                reports.add(data.toString());
            }
            out.write((line.startsWith("QUIT") ? "221 bye\r\n" : "250 ok\r\n").getBytes(StandardCharsets.US_ASCII));
            if (line.startsWith("QUIT")) {
                return;
            }
        }
    }

    @Test
    void halfOfTheRecipientsComplainWithAnArfReportNamingThemAndTheReturnPath() throws Exception {
        sink = new SmtpSinkServer("sink.test", SinkScript.parse(List.of("fbl.test:complain=50")), null, false, 1);
        sink.complainTo(listen(), "fbl@bounces.test");
        int port = sink.listen(List.of(new InetSocketAddress("127.0.0.1", 0))).get(0).getPort();
        try (Dialogue d = new Dialogue(port)) {
            d.reply();
            d.command("EHLO client.test");
            d.command("MAIL FROM:<b-token@bounces.test>");
            for (int i = 0; i < 4; i++) {
                assertTrue(d.command("RCPT TO:<u" + i + "@fbl.test>").startsWith("250"));
            }
            d.command("DATA");
            assertTrue(d.command("Subject: hello\r\nMessage-ID: <m1@src.test>\r\n\r\nbody\r\n.").startsWith("250"));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (reports.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(2, reports.size(), "exactly half of four: " + reports);
        for (String r : reports) {
            assertTrue(r.contains("report-type=feedback-report"), r);
            assertTrue(r.contains("Feedback-Type: abuse"), r);
            assertTrue(r.matches("(?s).*Original-Rcpt-To: <u[0-3]@fbl\\.test>.*"), r);
            assertTrue(r.contains("Content-Type: text/rfc822-headers\n\nReturn-Path: <b-token@bounces.test>\n"
                    + "Subject: hello\nMessage-ID: <m1@src.test>\n"), r);
            assertFalse(r.contains("body"), "the header section only");
        }
        assertEquals(2, sink.complaintsSent());
    }

    @Test
    void complainIsAPercentage() {
        try {
            SinkScript.parse(List.of("fbl.test:complain=101"));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("complain"), e.getMessage());
            return;
        }
        throw new AssertionError("complain=101 accepted");
    }
}
