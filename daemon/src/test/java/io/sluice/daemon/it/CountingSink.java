package io.sluice.daemon.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small SMTP receiver that measures what a provider would see: how many sessions are open at
 * once (the peak), when each message arrived (System.nanoTime at the final dot), and from which
 * client address. It can answer RCPT with a reply of the test's choosing (a provider's
 * throttling text), to which it then closes the session if the reply is a 421.
 */
final class CountingSink implements AutoCloseable {
    /** One message at the final dot: when, from which address, to how many recipients (RCPT in the transaction). */
    record Arrival(long nanos, String client, String recipient, int recipients) {
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger open = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final AtomicInteger sessions = new AtomicInteger();
    final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger startTls = new AtomicInteger();
    private final Function<String, String> rcptReply;
    private final boolean brokenTls;

    CountingSink(String host, int port, Function<String, String> rcptReply) throws IOException {
        this(host, port, rcptReply, false);
    }

    /** @param brokenTls offer STARTTLS, say 220 to it, then answer the TLS handshake with plain text and hang up */
    CountingSink(String host, int port, Function<String, String> rcptReply, boolean brokenTls) throws IOException {
        this.rcptReply = rcptReply;
        this.brokenTls = brokenTls;
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 200);
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread t = new Thread(() -> session(s), "counting-sink-session");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "counting-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void session(Socket s) {
        int now = open.incrementAndGet();
        sessions.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        String client = s.getInetAddress().getHostAddress();
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            write(out, "220 counting.sink ESMTP");
            String rcpt = null;
            int rcpts = 0;
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO")) {
                    write(out, brokenTls ? "250-counting.sink\r\n250-STARTTLS\r\n250 8BITMIME"
                            : "250-counting.sink\r\n250 8BITMIME");
                } else if (upper.startsWith("STARTTLS")) {
                    startTls.incrementAndGet();
                    write(out, "220 2.0.0 go ahead");
                    write(out, "this is not a TLS server hello");
                    return;
                } else if (upper.startsWith("MAIL") || upper.startsWith("RSET")) {
                    rcpts = 0;
                    write(out, "250 2.0.0 ok");
                } else if (upper.startsWith("HELO") || upper.startsWith("NOOP")) {
                    write(out, "250 2.0.0 ok");
                } else if (upper.startsWith("RCPT")) {
                    rcpt = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                    String reply = rcptReply == null ? null : rcptReply.apply(rcpt);
                    write(out, reply == null ? "250 2.1.5 ok" : reply);
                    if (reply == null) {
                        rcpts++;
                    }
                    if (reply != null && reply.startsWith("421")) {
                        return;
                    }
                } else if (upper.startsWith("DATA")) {
                    write(out, "354 go ahead");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the message itself is not kept
                    }
                    arrivals.add(new Arrival(System.nanoTime(), client, rcpt, rcpts));
                    write(out, "250 2.0.0 queued");
                } else if (upper.startsWith("QUIT")) {
                    write(out, "221 2.0.0 bye");
                    return;
                } else {
                    write(out, "502 5.5.2 what");
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.decrementAndGet();
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The most arrivals within any window of {@code windowNanos}. */
    int maxInWindow(long windowNanos) {
        List<Long> times;
        synchronized (arrivals) {
            times = arrivals.stream().map(Arrival::nanos).sorted().toList();
        }
        int best = 0;
        int from = 0;
        for (int i = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(from) >= windowNanos) {
                from++;
            }
            best = Math.max(best, i - from + 1);
        }
        return best;
    }

    @Override
    public void close() throws Exception {
        socket.close();
        acceptor.join(5000);
    }
}
