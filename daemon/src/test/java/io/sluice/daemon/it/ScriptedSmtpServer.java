package io.sluice.daemon.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiving MX that answers RCPT per recipient with the reply a test scripts (postfix's
 * smtp-sink can only fail every RCPT alike, with a generic 5.3.0): e.g. a mailbox provider's
 * {@code 550 5.1.1 User unknown} for one address and a block-list {@code 554 5.7.1} for another.
 * Accepts everything else and keeps what it received (sender, recipients, exact bytes).
 */
final class ScriptedSmtpServer implements AutoCloseable {
    record Received(String sender, List<String> recipients, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    private final ServerSocket server;
    private final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ScriptedSmtpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Answers RCPT TO:&lt;address&gt; with this reply line, e.g. "550 5.1.1 User unknown". */
    ScriptedSmtpServer rcptReply(String address, String reply) {
        rcptReplies.put(address.toLowerCase(Locale.ROOT), reply);
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    Received awaitFor(String recipient, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Received r : received) {
                if (r.recipients().contains(recipient)) {
                    return r;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing received for " + recipient + " within " + timeout);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> session(s), "scripted-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            send(out, "220 mx.scripted.test ESMTP");
            String sender = null;
            List<String> rcpts = new ArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    send(out, "250 mx.scripted.test");
                } else if (upper.startsWith("MAIL FROM:")) {
                    sender = path(line.substring(10));
                    rcpts.clear();
                    send(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String rcpt = path(line.substring(8));
                    String reply = rcptReplies.get(rcpt.toLowerCase(Locale.ROOT));
                    if (reply == null) {
                        rcpts.add(rcpt);
                        send(out, "250 2.1.5 Ok");
                    } else {
                        send(out, reply);
                    }
                } else if (upper.equals("DATA")) {
                    if (rcpts.isEmpty()) {
                        send(out, "554 5.5.1 Error: no valid recipients");
                        continue;
                    }
                    send(out, "354 End data with <CR><LF>.<CR><LF>");
                    received.add(new Received(sender, List.copyOf(rcpts), readData(in)));
                    send(out, "250 2.0.0 Ok: queued");
                } else if (upper.equals("QUIT")) {
                    send(out, "221 2.0.0 Bye");
                    return;
                } else {
                    send(out, "250 2.0.0 Ok");
                }
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    private static String path(String arg) {
        String a = arg.strip();
        int lt = a.indexOf('<');
        int gt = a.indexOf('>');
        return lt >= 0 && gt > lt ? a.substring(lt + 1, gt) : a.split(" ")[0];
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return null;
    }

    /** The message as sent, dot-unstuffed, CRLF kept, without the final dot line. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        String line;
        while ((line = readLine(in)) != null && !line.equals(".")) {
            if (line.startsWith(".")) {
                line = line.substring(1);
            }
            msg.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        return msg.toByteArray();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
