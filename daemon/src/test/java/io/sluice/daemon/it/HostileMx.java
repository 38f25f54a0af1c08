package io.sluice.daemon.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MX that misbehaves in one chosen way until told to behave: the receiving side of the
 * hardening issue's hostile-server run. Good behaviour is a plain RFC 5321 server without
 * PIPELINING that records each message's Message-ID.
 */
final class HostileMx implements AutoCloseable {
    enum Misbehaviour {
        /** Random bytes instead of a greeting, then silence. */
        GARBAGE,
        /** A multi-line greeting that never ends. */
        ENDLESS_REPLY,
        /** The greeting one byte a second. */
        DRIP,
        /** A normal dialogue until 354, then a TCP reset part way through the body. */
        RESET_MID_DATA,
        /** STARTTLS advertised and answered 220, then plain text where the handshake should be. */
        BROKEN_TLS,
        /** The whole body taken, then a reset instead of the 250: the sender cannot know. */
        RESET_AFTER_DOT
    }

    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID: <([^>]+)>");

    final List<String> received = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final Misbehaviour misbehaviour;
    private final ServerSocket socket;
    private final Thread acceptor;
    private volatile boolean behave;

    HostileMx(String host, int port, Misbehaviour misbehaviour) throws IOException {
        this.misbehaviour = misbehaviour;
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        this.acceptor = new Thread(this::accept, "hostile-mx-" + misbehaviour);
        acceptor.start();
    }

    void behave() {
        behave = true;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "hostile-mx-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            boolean good = behave;
            if (!good && misbehaviour == Misbehaviour.GARBAGE) {
                byte[] noise = new byte[4096];
                new Random().nextBytes(noise);
                out.write(noise);
                out.flush();
                in.read(); // and wait for the client to give up
                return;
            }
            if (!good && misbehaviour == Misbehaviour.ENDLESS_REPLY) {
                byte[] line = "220-mx.hostile.test still greeting you\r\n".getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(line);
                }
            }
            if (!good && misbehaviour == Misbehaviour.DRIP) {
                for (byte b : "220 mx.hostile.test slowly\r\n".getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(1000);
                }
                in.read();
                return;
            }
            reply(out, "220 mx.hostile.test ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, !good && misbehaviour == Misbehaviour.BROKEN_TLS
                            ? "250-mx.hostile.test\r\n250-STARTTLS\r\n250 8BITMIME" : "250-mx.hostile.test\r\n250 8BITMIME");
                    case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "STAR" -> {
                        reply(out, "220 2.0.0 Ready to start TLS");
                        reply(out, "this is not a TLS handshake");
                        return;
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        if (!good && misbehaviour == Misbehaviour.RESET_MID_DATA) {
                            in.readNBytes(100);
                            s.setSoLinger(true, 0);
                            return;
                        }
                        String body = readBody(in);
                        if (!good && misbehaviour == Misbehaviour.RESET_AFTER_DOT) {
                            record(body);
                            s.setSoLinger(true, 0);
                            return;
                        }
                        record(body);
                        reply(out, "250 2.0.0 Ok: queued");
                    }
                    default -> reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away: that is its right
        }
    }

    private void record(String body) {
        Matcher m = MESSAGE_ID.matcher(body);
        received.add(m.find() ? m.group(1) : "(no Message-ID)");
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    private static String readBody(InputStream in) throws IOException {
        StringBuilder body = new StringBuilder();
        String line;
        while ((line = readLine(in)) != null && !line.equals(".")) {
            body.append(line).append("\r\n");
        }
        return body.toString();
    }

    @Override
    public void close() throws Exception {
        socket.close();
        acceptor.join(5000);
    }
}
