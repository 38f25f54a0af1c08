package io.sluice.daemon.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A byte-exact SMTP client for tests that must send what real clients would not (bad
 * commands, bare LF, oversized lines) and read the precise reply back.
 */
final class SmtpDialogue implements AutoCloseable {
    /** A reply: its code and the text of its last line (with the enhanced code, if any). */
    record Reply(int code, String text) {
        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Reply greeting;

    private SmtpDialogue(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.greeting = reply();
    }

    static SmtpDialogue open(int port) throws IOException {
        return open(port, null);
    }

    /** Connects to 127.0.0.1:port, optionally from another loopback address such as 127.0.0.2. */
    static SmtpDialogue open(int port, String localAddress) throws IOException {
        Socket socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        return new SmtpDialogue(socket);
    }

    Reply greeting() {
        return greeting;
    }

    Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    /** Sends raw bytes as they are (the caller supplies the terminating CRLF.CRLF). */
    Reply raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return reply();
    }

    /** DATA, then the content dot-stuffed and terminated; returns the reply to the final dot. */
    Reply data(String content) throws IOException {
        Reply go = command("DATA");
        if (go.code() != 354) {
            return go;
        }
        StringBuilder b = new StringBuilder();
        for (String line : content.split("\r\n", -1)) {
            b.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        if (content.endsWith("\r\n")) {
            b.setLength(b.length() - 2);
        }
        b.append(".\r\n");
        return raw(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    Reply reply() throws IOException {
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed by server");
            }
            if (line.length() < 3) {
                throw new IOException("malformed reply line: " + line);
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), line.length() > 4 ? line.substring(4) : "");
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    boolean isClosedByServer() {
        try {
            socket.setSoTimeout(2000);
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
