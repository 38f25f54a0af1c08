package io.sluice.daemon.ingress.smtp;

import org.subethamail.smtp.server.SSLSocketCreator;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Gives every reply the listener sends an RFC 3463 enhanced status code (RFC 2034). Our own
 * replies already carry one; SubEthaSMTP's built-in ones ("500 Error: command not
 * implemented", "503 Error: need RCPT command", ...) do not, and clients and log tooling key on
 * the enhanced code. The rewrite sits on the socket's output, before any TLS layer is put on
 * top; it only ever sees reply lines, because the server writes nothing but replies. After
 * STARTTLS ({@link #startTls}) it moves above the TLS layer.
 */
final class EnhancedReplies {

    private EnhancedReplies() {
    }

    /** A server socket whose accepted sockets rewrite replies. */
    static ServerSocket serverSocket() throws IOException {
        return serverSocket(null);
    }

    /**
     * Also enforces per-address limits: a client over {@link ClientLimits#admit} gets
     * {@code 421 4.7.0} and is closed here, before a session thread is spent on it.
     */
    static ServerSocket serverSocket(ClientLimits limits) throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                while (true) {
                    RewritingSocket socket = new RewritingSocket();
                    implAccept(socket);
                    // Replies to a pipelined MAIL/RCPT/DATA go out one write each; with Nagle the
                    // second waits for the ACK of the first, which the client delays (40 ms) as it
                    // has nothing to send until it reads 354: 44 ms per message, measured.
                    socket.setTcpNoDelay(true);
                    if (limits == null) {
                        return socket;
                    }
                    InetAddress client = socket.getInetAddress();
                    String refusal = limits.admit(client);
                    if (refusal == null) {
                        socket.onClose = () -> limits.release(client);
                        return socket;
                    }
                    try (socket) {
                        socket.setSoTimeout(2000);
                        OutputStream out = socket.getOutputStream();
                        out.write(("421 " + refusal + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException ignored) {
                        // the client is gone already; nothing to tell it
                    }
                }
            }
        };
    }

    /**
     * The STARTTLS socket factory to use with {@link #serverSocket()}: after STARTTLS the TLS
     * layer writes ciphertext through the plain socket's stream, so the plain socket's rewriter
     * steps aside (pass-through) and the rewriting moves above TLS, onto the TLS socket's
     * plaintext output.
     */
    static SSLSocketCreator startTls(SSLContext context) {
        return plain -> {
            if (plain instanceof RewritingSocket rewriting) {
                rewriting.passThrough();
            }
            InetSocketAddress remote = (InetSocketAddress) plain.getRemoteSocketAddress();
            SSLSocket tls = (SSLSocket) context.getSocketFactory()
                    .createSocket(plain, remote.getHostString(), plain.getPort(), true);
            tls.setUseClientMode(false);
            return new RewritingTlsSocket(tls);
        };
    }

    private static final class RewritingSocket extends Socket {
        private ReplyRewriter out;
        private Runnable onClose;
        private boolean closed;

        @Override
        public void close() throws IOException {
            Runnable release = null;
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    release = onClose;
                }
            }
            // release first: a client that sees the connection end may count on the slot
            if (release != null) {
                release.run();
            }
            super.close();
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new ReplyRewriter(super.getOutputStream());
            }
            return out;
        }

        synchronized void passThrough() throws IOException {
            getOutputStream();
            out.flush();
            out.passThrough = true;
        }
    }

    /** A TLS socket whose plaintext output rewrites replies; all else is the wrapped socket's. */
    private static final class RewritingTlsSocket extends DelegatingSslSocket {
        private OutputStream out;

        RewritingTlsSocket(SSLSocket tls) {
            super(tls);
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new ReplyRewriter(super.getOutputStream());
            }
            return out;
        }
    }

    /** Buffers one line at a time; a complete reply line is rewritten, then written through. */
    static final class ReplyRewriter extends FilterOutputStream {
        private final byte[] line = new byte[2048];
        private int length;
        /** Set when TLS takes over the stream below: bytes are then ciphertext, written as they come. */
        volatile boolean passThrough;

        ReplyRewriter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (passThrough) {
                out.write(b);
                return;
            }
            if (length == line.length) {
                out.write(line, 0, length);
                length = 0;
            }
            line[length++] = (byte) b;
            if (b == '\n') {
                if (passesUnchanged(line, length)) {
                    out.write(line, 0, length);
                } else {
                    out.write(rewrite(line, length));
                }
                length = 0;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (passThrough) {
                out.write(b, off, len);
                return;
            }
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }

        @Override
        public void flush() throws IOException {
            if (length > 0) {
                out.write(line, 0, length);
                length = 0;
            }
            out.flush();
        }
    }

    /**
     * True for the replies of every message (250, 354, and 220) in plain ASCII: {@link #rewrite}
     * gives them back as they are, so they are written from the buffer without the string, the
     * substrings and the encoded copy per line that rewriting made (issue 14). Not EHLO's
     * {@code 250-8BITMIME}, which gets PIPELINING put before it.
     */
    static boolean passesUnchanged(byte[] line, int length) {
        if (length < 4 || (line[3] != ' ' && line[3] != '-')) {
            return false;
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            if (line[i] < '0' || line[i] > '9') {
                return false;
            }
            code = code * 10 + (line[i] - '0');
        }
        if (code != 220 && code != 250 && code != 354) {
            return false;
        }
        for (int i = 4; i < length; i++) {
            if (line[i] < 0) {
                return false; // not ASCII: decoded and encoded as before
            }
        }
        return !(length == EIGHT_BIT_MIME.length && java.util.Arrays.equals(line, 0, length, EIGHT_BIT_MIME, 0, length));
    }

    private static final byte[] EIGHT_BIT_MIME = "250-8BITMIME\r\n".getBytes(StandardCharsets.US_ASCII);

    static byte[] rewrite(byte[] line, int length) {
        String s = new String(line, 0, length, StandardCharsets.UTF_8);
        if (s.equals("250-8BITMIME\r\n")) {
            // SubEthaSMTP reads commands line by line and answers in order, so pipelined
            // commands work; it just does not say so (RFC 2920). Say it, before its first keyword.
            return ("250-PIPELINING\r\n" + s).getBytes(StandardCharsets.US_ASCII);
        }
        return rewrite(s).getBytes(StandardCharsets.UTF_8);
    }

    /** Adds an enhanced code to a reply line "NNN text" / "NNN-text" that lacks one. */
    static String rewrite(String line) {
        if (line.length() < 4 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2)) || (line.charAt(3) != ' ' && line.charAt(3) != '-')) {
            return line;
        }
        int code = Integer.parseInt(line.substring(0, 3));
        String rest = line.substring(4).stripLeading();
        if (code == 220 || code == 250 || code == 354) {
            // greeting, 354 and EHLO's keyword lines carry no enhanced code (RFC 2034 §3); our
            // own 250 after DATA has one already
            return line;
        }
        if (rest.length() > 0 && Character.isDigit(rest.charAt(0)) && rest.matches("(?s)[245]\\.\\d{1,3}\\.\\d{1,3}\\b.*")) {
            return line;
        }
        String enhanced = enhancedFor(code, rest);
        if (enhanced == null) {
            return line;
        }
        return line.substring(0, 4) + enhanced + " " + rest;
    }

    private static String enhancedFor(int code, String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return switch (code) {
            case 221 -> "2.0.0";
            case 235 -> "2.7.0";
            case 421 -> lower.contains("timeout") ? "4.4.2" : "4.3.2";
            case 451 -> "4.3.0";
            case 452 -> lower.contains("recipients") ? "4.5.3" : "4.3.1";
            case 500 -> "5.5.2";
            case 501 -> "5.5.4";
            case 502 -> "5.5.1";
            case 503 -> "5.5.1";
            case 504 -> "5.5.4";
            case 530 -> "5.7.0";
            case 535 -> "5.7.8";
            case 550 -> "5.0.0";
            case 552 -> "5.3.4";
            case 553 -> "5.1.3";
            case 554 -> "5.0.0";
            default -> null;
        };
    }
}
