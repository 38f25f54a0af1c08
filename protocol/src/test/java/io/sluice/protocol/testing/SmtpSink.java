package io.sluice.protocol.testing;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Postfix's {@code smtp-sink} on 127.0.0.1, dumping every transaction to a file, so tests can
 * deliver into the reference sink used by MTA benchmarks and read back what it got.
 *
 * <p>Dump format (smtp-sink -d, Postfix 3.7, seen on this machine): one file per transaction,
 * named by the template ({@code <dir>/%Y%m%d%H%M%S.}) plus a queue-id-like suffix. LF line ends,
 * every CR dropped:
 * <pre>
 * X-Client-Addr: 127.0.0.1
 * X-Client-Proto: ESMTP
 * X-Helo-Args: client.test
 * X-Mail-Args: &lt;a@x.test&gt; BODY=8BITMIME
 * X-Rcpt-Args: &lt;b@y.test&gt;          (one line per accepted RCPT)
 * Received: from client.test ([127.0.0.1])
 * \tby smtp-sink (smtp-sink) with ESMTP id 43ac18b2;
 * \tSat, 28 Nov 2026 08:00:04 +0000 (UTC)
 * ...the message, dot-unstuffed, CRLF turned into LF...
 * (one extra empty line)
 * </pre>
 * {@link #messages()} undoes that: content is the message with LF turned back into CRLF, so it
 * equals what the client was given when that had only CRLF line ends (bare CRs cannot be seen).
 */
public final class SmtpSink implements AutoCloseable {

    /** One received transaction. */
    public record Message(String mailFrom, List<String> rcptTo, String mailArgs, byte[] content, Path file,
                          long fileSize) {
        public String contentAsString() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final ManagedProcess process;
    private final String host;
    private final int port;
    private final Path dumpDir;

    private SmtpSink(ManagedProcess process, String host, int port, Path dumpDir) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.dumpDir = dumpDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a sink that accepts everything. */
    public static SmtpSink start() {
        return builder().start();
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    public Path dumpDir() {
        return dumpDir;
    }

    public long pid() {
        return process.pid();
    }

    /** Every complete transaction dumped so far, oldest file first. */
    public List<Message> messages() {
        List<Message> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dumpDir)) {
            List<Path> sorted = files.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path f) -> f.toFile().lastModified()).thenComparing(Path::toString))
                    .toList();
            for (Path file : sorted) {
                Message m = parse(file, Files.readAllBytes(file));
                if (m != null) {
                    found.add(m);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * Waits until at least {@code n} transactions are dumped and their files have stopped growing
     * (a large message is written in pieces: a piece may end where a whole dump would); fails the
     * test otherwise.
     */
    public List<Message> awaitMessages(int n, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<Message> found = messages();
        while ((found.size() < n || !settled(found)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = messages();
        }
        if (found.size() < n) {
            throw new AssertionError("smtp-sink got " + found.size() + " of " + n + " messages within "
                    + within + "; log: " + process.output());
        }
        return found;
    }

    /* True when no file of {@code found} changed size within a tenth of a second. */
    private static boolean settled(List<Message> found) {
        try {
            Thread.sleep(100);
            for (Message m : found) {
                if (Files.size(m.file()) != m.fileSize()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** What smtp-sink printed (errors, -v traces). */
    public String log() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }

    /** Parses one dump file, or returns null while it is still incomplete. */
    static Message parse(Path file, byte[] bytes) {
        String all = new String(bytes, StandardCharsets.ISO_8859_1); // byte-transparent
        int pos = 0;
        String mailArgs = null;
        List<String> rcpts = new ArrayList<>();
        boolean received = false;
        while (pos < all.length()) {
            int nl = all.indexOf('\n', pos);
            if (nl < 0) {
                return null;
            }
            String line = all.substring(pos, nl);
            if (!received && line.startsWith("X-")) {
                if (line.startsWith("X-Mail-Args: ")) {
                    mailArgs = line.substring("X-Mail-Args: ".length());
                } else if (line.startsWith("X-Rcpt-Args: ")) {
                    rcpts.add(decode(path(line.substring("X-Rcpt-Args: ".length()))));
                }
                pos = nl + 1;
            } else if (!received && line.startsWith("Received: ")) {
                received = true;
                pos = nl + 1;
            } else if (received && line.startsWith("\t")) {
                pos = nl + 1;
            } else {
                break;
            }
        }
        // A finished dump ends with the message's last line and then smtp-sink's empty separator
        // line; a file caught mid-write usually ends mid-line, and may end at a line's end.
        if (!received || mailArgs == null || !all.endsWith("\n\n")) {
            return null;
        }
        // The message, minus the separator line smtp-sink appends, with CRLF restored.
        byte[] body = Arrays.copyOfRange(bytes, pos, bytes.length - 1);
        ByteArrayOutputStream content = new ByteArrayOutputStream(body.length + body.length / 40);
        for (byte b : body) {
            if (b == '\n') {
                content.write('\r');
            }
            content.write(b);
        }
        return new Message(decode(path(mailArgs)), List.copyOf(rcpts), decode(mailArgs), content.toByteArray(), file,
                bytes.length);
    }

    private static String path(String args) {
        int open = args.indexOf('<');
        int close = args.indexOf('>', open + 1);
        return open < 0 || close < 0 ? args : args.substring(open + 1, close);
    }

    private static String decode(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    public static final class Builder {
        private final List<String> options = new ArrayList<>();
        private Path dumpDir;
        private String host = "127.0.0.1";
        private int fixedPort;

        /** Listen on this loopback address and port (port 0: a free one) instead of 127.0.0.1. */
        public Builder listen(String host, int port) {
            this.host = host;
            this.fixedPort = port;
            return this;
        }

        /** Where dump files go; a fresh temporary directory by default. */
        public Builder dumpDir(Path dir) {
            this.dumpDir = dir;
            return this;
        }

        /** Answer these commands (e.g. "RCPT", "DATA", "." for end of data) with a 4xx (-r). */
        public Builder softReject(String... commands) {
            options.add("-r");
            options.add(String.join(",", commands));
            return this;
        }

        /** Answer these commands with a 5xx (-f). */
        public Builder hardReject(String... commands) {
            options.add("-f");
            options.add(String.join(",", commands));
            return this;
        }

        /** Any other smtp-sink option, e.g. "-v" or ("-h", "sink.test"). */
        public Builder option(String... option) {
            options.addAll(List.of(option));
            return this;
        }

        /** Starts smtp-sink and returns once it has sent a 220 banner to a probe. */
        public SmtpSink start() {
            Path binary = ExternalTool.require("smtp-sink");
            try {
                Path dir = dumpDir != null ? Files.createDirectories(dumpDir) : Files.createTempDirectory("sluice-smtp-sink");
                String last = "";
                for (int attempt = 0; attempt < 3; attempt++) {
                    int port = fixedPort > 0 ? fixedPort : FreePorts.tcp();
                    List<String> cmd = new ArrayList<>(List.of(binary.toString()));
                    if ("root".equals(System.getProperty("user.name"))) {
                        cmd.addAll(List.of("-u", "root")); // smtp-sink drops privileges to "postfix" otherwise
                    }
                    cmd.addAll(List.of("-d", dir.resolve("%Y%m%d%H%M%S.").toString()));
                    cmd.addAll(options);
                    cmd.addAll(List.of(host + ":" + port, "100"));
                    ManagedProcess p = ManagedProcess.start(cmd, Files.createTempFile("sluice-smtp-sink-" + port, ".log"));
                    if (awaitBanner(p, host, port, Duration.ofSeconds(10))) {
                        return new SmtpSink(p, host, port, dir);
                    }
                    last = p.output();
                    p.close();
                }
                throw new IllegalStateException("smtp-sink did not start: " + last);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static boolean awaitBanner(ManagedProcess p, String host, int port, Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port), 500);
                    s.setSoTimeout(2000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String banner = in.readLine();
                    if (banner != null && banner.startsWith("220")) {
                        OutputStream out = s.getOutputStream();
                        out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        in.readLine();
                        return true;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }
}
