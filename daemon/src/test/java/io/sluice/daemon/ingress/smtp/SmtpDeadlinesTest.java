package io.sluice.daemon.ingress.smtp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.internal.server.CommandRegistry;
import org.subethamail.smtp.internal.server.RequireAuthCommandWrapper;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.SessionHandler;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 6: absolute DATA and session deadlines, a bounded drain of oversized DATA, and
 * BDAT read in blocks with the same bounds, in a real SubEthaSMTP server. The idle timeout is an
 * hour in every case, so only the deadlines can end these sessions.
 */
class SmtpDeadlinesTest {
    private final List<String> received = new CopyOnWriteArrayList<>();
    private SMTPServer server;

    private Socket start(SessionDeadlines deadlines) throws IOException {
        server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("deadline.test")
                .insertReceivedHeaders(false)
                .connectionTimeout(1, TimeUnit.HOURS)
                .sessionHandler(deadlines.around(SessionHandler.acceptAll()))
                .simpleMessageListener(new SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream data) throws IOException {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        data.transferTo(out);
                        received.add(out.toString(StandardCharsets.ISO_8859_1));
                    }
                })
                .build();
        BlockDataCommand.install(server.getCommandHandler(), deadlines);
        server.start();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getPortAllocated());
        s.setSoTimeout(30_000);
        return s;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Every reply line until the server closes the connection. */
    private static List<String> rest(BufferedReader replies) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = replies.readLine()) != null) {
            lines.add(line);
        }
        return lines;
    }

    private static BufferedReader replies(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aDataTransferDrippingPastItsDeadlineGets421AndIsClosed() throws Exception {
        try (Socket s = start(SmtpDeadlinesFixture.of(Duration.ofSeconds(1), Duration.ofHours(1), 1024))) {
            BufferedReader r = replies(s);
            r.readLine();
            send(s, "HELO c.test\r\nMAIL FROM:<a@src.test>\r\nRCPT TO:<b@dst.test>\r\nDATA\r\n");
            for (int i = 0; i < 4; i++) {
                r.readLine();
            }
            // one byte every 100 ms: never idle, never finished
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    lines.addAll(rest(r));
                } catch (IOException e) {
                    lines.add("io: " + e);
                }
            });
            reader.start();
            for (int i = 0; i < 300 && reader.isAlive(); i++) {
                try {
                    send(s, "x");
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
            }
            reader.join(30_000);
            assertEquals(List.of("421 4.4.2 DATA time limit reached, closing connection"), lines);
            assertEquals(List.of(), received);
        }
    }

    @Test
    void aSessionOpenPastItsDeadlineGets421AndIsClosedEvenWhileBusy() throws Exception {
        try (Socket s = start(SmtpDeadlinesFixture.of(Duration.ofHours(1), Duration.ofSeconds(1), 1024))) {
            BufferedReader r = replies(s);
            r.readLine();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                try {
                    send(s, "NOOP\r\n");
                } catch (IOException closed) {
                    break;
                }
                String line = r.readLine();
                if (line == null) {
                    break;
                }
                lines.add(line);
                if (line.startsWith("421")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(lines.size() > 1 && lines.subList(0, lines.size() - 1).stream().allMatch(l -> l.startsWith("250")), lines.toString());
            assertEquals("421 4.4.2 Session time limit reached, closing connection", lines.get(lines.size() - 1));
            assertEquals(List.of(), rest(r), "closed after the 421");
        }
    }

    @Test
    void bdatChunksAreReadInBlocksAndTheCommandsBehindTheLastStillRun() throws Exception {
        try (Socket s = start(SmtpDeadlinesFixture.lenient())) {
            BufferedReader r = replies(s);
            r.readLine();
            String first = "Subject: chunked\r\n\r\n" + "y".repeat(20_000);
            String second = "\r\n.not-stuffed\r\n";
            send(s, "EHLO c.test\r\n");
            String line;
            while ((line = r.readLine()).startsWith("250-")) {
                // EHLO lines; CHUNKING is among them
            }
            send(s, "MAIL FROM:<a@src.test>\r\nRCPT TO:<b@dst.test>\r\nBDAT " + first.length() + "\r\n" + first
                    + "BDAT " + second.length() + " LAST\r\n" + second + "NOOP\r\nQUIT\r\n");
            List<String> codes = rest(r).stream().map(l -> l.substring(0, 3)).toList();
            assertEquals(List.of("250", "250", "250", "250", "250", "221"), codes);
            assertEquals(List.of(first + second), received);
        }
    }

    @Test
    void aRefusedBdatChunkIsSkippedNotReadAsCommands() throws Exception {
        try (Socket s = start(SmtpDeadlinesFixture.lenient())) {
            BufferedReader r = replies(s);
            r.readLine();
            // no MAIL: the chunk is refused, and its octets ("QUIT\r\n") are data, not a command
            send(s, "HELO c.test\r\nBDAT 6\r\nQUIT\r\nNOOP\r\n");
            assertTrue(r.readLine().startsWith("250"));
            assertTrue(r.readLine().startsWith("503 5.5.1"));
            assertTrue(r.readLine().startsWith("250"), "NOOP answered: the chunk's QUIT was skipped");
            send(s, "QUIT\r\n");
            assertTrue(r.readLine().startsWith("221"));
        }
    }

    @Test
    void aBdatChunkDrippingPastTheDeadlineGets421() throws Exception {
        try (Socket s = start(SmtpDeadlinesFixture.of(Duration.ofSeconds(1), Duration.ofHours(1), 1024))) {
            BufferedReader r = replies(s);
            r.readLine();
            send(s, "HELO c.test\r\nMAIL FROM:<a@src.test>\r\nRCPT TO:<b@dst.test>\r\nBDAT 100000 LAST\r\n");
            for (int i = 0; i < 3; i++) {
                r.readLine();
            }
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    lines.addAll(rest(r));
                } catch (IOException e) {
                    lines.add("io: " + e);
                }
            });
            reader.start();
            for (int i = 0; i < 300 && reader.isAlive(); i++) {
                try {
                    send(s, "x");
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
            }
            reader.join(30_000);
            assertEquals(List.of("421 4.4.2 DATA time limit reached, closing connection"), lines);
        }
    }

    @Test
    void oversizedDataIsDrainedOnlyWithinItsBound() throws Exception {
        byte[] huge = ("z".repeat(998) + "\r\n").repeat(2_000).getBytes(StandardCharsets.US_ASCII); // 2 MB
        DataReader.DrainBound tight = new DataReader.DrainBound(64 * 1024, Duration.ofMinutes(1), Clock.systemUTC());
        assertThrows(DataReader.DrainExceeded.class, () -> DataReader.read(new ByteArrayInputStream(huge), 1024, tight));
        DataReader.DrainBound roomy = new DataReader.DrainBound(4L * 1024 * 1024, Duration.ofMinutes(1), Clock.systemUTC());
        assertEquals(DataReader.Problem.TOO_BIG, DataReader.read(new ByteArrayInputStream(huge), 1024, roomy).problem(),
                "within the bound the message is read to its end and refused in step");
    }

    @Test
    void bdatIsReplacedAsTheLibraryWrapsIt() {
        assertTrue(CommandRegistry.BDAT.getCommand() instanceof RequireAuthCommandWrapper);
    }
}
