package io.sluice.daemon.ingress.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.internal.server.CommandRegistry;
import org.subethamail.smtp.internal.server.RequireAuthCommandWrapper;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The block-reading DATA command inside a real SubEthaSMTP server, and the library internals it
 * relies on: if an upgrade changes them, this fails before a session does.
 */
class BlockDataCommandTest {

    @Test
    void theLibraryIsTheVersionThisCommandWasWrittenFor() throws IOException {
        Properties p = new Properties();
        try (InputStream in = SMTPServer.class.getResourceAsStream(
                "/META-INF/maven/com.github.davidmoten/subethasmtp/pom.properties")) {
            p.load(in);
        }
        assertEquals("7.2.0", p.getProperty("version"),
                "BlockDataCommand copies DATA's replies and wrapping from SubEthaSMTP 7.2.0: check them again");
        // the library wraps its DATA in the AUTH wrapper (around the TLS one), as install() does
        assertTrue(CommandRegistry.DATA.getCommand() instanceof RequireAuthCommandWrapper);
    }

    @Test
    void pipelinedTransactionsAreReadWholeAndTheCommandsBehindThemStillRun() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        SMTPServer server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("block.test")
                .insertReceivedHeaders(false)
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
        BlockDataCommand.install(server.getCommandHandler(), SmtpDeadlinesFixture.lenient());
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getPortAllocated())) {
            BufferedReader replies = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertTrue(replies.readLine().startsWith("220"));
            String big = "x".repeat(900) + "\r\n";
            // everything in one write: the server must not read past each terminator
            out.write(("HELO client.test\r\nMAIL FROM:<a@src.test>\r\nRCPT TO:<b@dst.test>\r\nDATA\r\n"
                    + "Subject: one\r\n\r\n..dot\r\n" + big.repeat(40) + ".\r\n"
                    + "MAIL FROM:<a@src.test>\r\nRCPT TO:<c@dst.test>\r\nDATA\r\nSubject: two\r\n\r\nend\r\n.\r\n"
                    + "DATA\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<String> codes = new ArrayList<>();
            String line;
            while ((line = replies.readLine()) != null) {
                codes.add(line.substring(0, 3));
            }
            assertEquals(List.of("250", "250", "250", "354", "250", "250", "250", "354", "250", "503", "221"), codes);
        } finally {
            server.stop();
        }
        assertEquals(2, received.size());
        assertEquals("Subject: one\r\n\r\n.dot\r\n" + ("x".repeat(900) + "\r\n").repeat(40), received.get(0));
        assertEquals("Subject: two\r\n\r\nend\r\n", received.get(1));
    }
}
