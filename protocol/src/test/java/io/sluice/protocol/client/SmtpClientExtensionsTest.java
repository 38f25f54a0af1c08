package io.sluice.protocol.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PIPELINING, several recipients in one transaction, SIZE and SMTPUTF8 as the server advertises them. */
class SmtpClientExtensionsTest {
    private static SmtpClient client;

    @BeforeAll
    static void startClient() {
        client = new SmtpClient(ClientSettings.defaults("client.sluice.test").withTls(TlsMode.NONE)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)), 1);
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    /**
     * Answers EHLO with {@code extensions}; with {@code batch} > 0 it reads that many envelope
     * commands (MAIL + RCPTs) before answering any of them, which only a pipelining client survives.
     * RCPT to an address starting "bad" gets 550.
     */
    static final class Server implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        final Thread thread;

        Server(String extensions, int batch) throws IOException {
            thread = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = s.getOutputStream();
                    write(out, "220 pipe.test");
                    List<String> held = new ArrayList<>();
                    String line;
                    while ((line = in.readLine()) != null) {
                        commands.add(line);
                        String verb = line.split("[ :]", 2)[0].toUpperCase();
                        if (verb.equals("EHLO")) {
                            write(out, "250-pipe.test\r\n" + extensions.lines().map(e -> "250-" + e + "\r\n")
                                    .reduce("", String::concat) + "250 HELP");
                        } else if (verb.equals("MAIL") || verb.equals("RCPT")) {
                            held.add(line);
                            if (held.size() >= batch) {
                                for (String h : held) {
                                    write(out, h.toUpperCase().startsWith("RCPT TO:<BAD") ? "550 5.1.1 no such user" : "250 ok");
                                }
                                held.clear();
                            }
                        } else if (verb.equals("DATA")) {
                            write(out, "354 go");
                            while (!(line = in.readLine()).equals(".")) {
                                // body
                            }
                            write(out, "250 2.0.0 queued");
                        } else if (verb.equals("QUIT")) {
                            write(out, "221 bye");
                            return;
                        } else {
                            write(out, "250 ok");
                        }
                    }
                } catch (IOException ignored) {
                    // client went away
                }
            }, "pipe-server");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        private static void write(OutputStream out, String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final byte[] BODY = "Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void withPipeliningTheEnvelopeGoesInOneWriteAndEachRecipientHasItsReply() throws Exception {
        try (Server server = new Server("PIPELINING\nSIZE 1000000", 4)) {
            SmtpConnection c = client.connect(server.address(), null).get(5, TimeUnit.SECONDS);
            TransactionResult r = c.send(new Transaction("s@a.test", List.of("one@b.test", "bad@b.test", "two@b.test"),
                    BODY)).get(5, TimeUnit.SECONDS);
            assertEquals(250, r.replyFor("one@b.test").code(), "the DATA reply for an accepted recipient");
            assertEquals(550, r.replyFor("bad@b.test").code(), "its own RCPT reply for a refused one");
            assertEquals(250, r.replyFor("two@b.test").code());
            assertEquals(1, server.commands.stream().filter(l -> l.startsWith("DATA")).count(), "one message for three");
            assertTrue(server.commands.stream().anyMatch(l -> l.startsWith("MAIL FROM:<s@a.test> SIZE=")));
            c.quit().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMessageLargerThanTheServersSizeIsRefusedWithoutSendingIt() throws Exception {
        try (Server server = new Server("SIZE 10", 1)) {
            SmtpConnection c = client.connect(server.address(), null).get(5, TimeUnit.SECONDS);
            TransactionResult r = c.send(new Transaction("s@a.test", List.of("one@b.test"), BODY)).get(5, TimeUnit.SECONDS);
            assertEquals(552, r.mailReply().code());
            assertEquals("5.3.4", r.mailReply().enhancedCode());
            assertNull(r.dataReply());
            assertTrue(server.commands.stream().noneMatch(l -> l.startsWith("MAIL")));
            c.quit().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAddressNeedingSmtputf8BouncesClearlyWhenTheServerLacksIt() throws Exception {
        try (Server server = new Server("8BITMIME", 1)) {
            SmtpConnection c = client.connect(server.address(), null).get(5, TimeUnit.SECONDS);
            TransactionResult r = c.send(new Transaction("s@a.test", List.of("jürgen@b.test"), BODY))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(553, r.replyFor("jürgen@b.test").code());
            assertEquals("5.6.7", r.mailReply().enhancedCode());
            assertTrue(r.mailReply().text().contains("SMTPUTF8"), r.mailReply().text());
            c.quit().get(5, TimeUnit.SECONDS);
        }
    }
}
