package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-client run of the hardening issue: while fuzzed command lines, garbled DATA
 * streams, slow-drip (slowloris) SMTP and HTTP clients and a crowd of idle sessions press on the
 * daemon from many loopback addresses, a legitimate client keeps sending. The daemon must not
 * crash, must stay within its memory (RSS under 1.5 GB with -Xmx1g), must deliver every message
 * it acknowledged, and the legitimate client's inject→250 latency is measured beside its
 * unattacked value (reported here; the 5× bound is checked in the documented long run, because
 * the suite's machine is shared).
 *
 * <p>Sizes come from system properties so the suite runs a short version and docs/reliability.md
 * the long one: {@code sluice.hostile.lines} (fuzzed command lines, default 20,000),
 * {@code sluice.hostile.idle} (idle sessions, default 200), {@code sluice.hostile.seconds}
 * (attack length for the slow clients, default 20).
 */
class HostileClientIT {
    private static final int SOURCES = 40; // 127.0.1.1 … 127.0.1.40: each under the per-address limit
    private static final String[] VERBS = {"EHLO", "HELO", "MAIL FROM:", "RCPT TO:", "DATA", "BDAT", "RSET", "VRFY",
            "EXPN", "NOOP", "AUTH", "STARTTLS", "QUIT", "HELP", "XCLIENT", "ETRN", "TURN"};

    @Test
    void hostileClientsNeitherCrashNorStarveALegitimateOne(@TempDir Path dir) throws Exception {
        int lines = Integer.getInteger("sluice.hostile.lines", 20_000);
        int idle = Integer.getInteger("sluice.hostile.idle", 200);
        int seconds = Integer.getInteger("sluice.hostile.seconds", 20);
        long seed = Long.getLong("sluice.hostile.seed", System.nanoTime());
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.relay.networks", "127.0.0.1/32")
                     .set("sluice.smtp.max-message-bytes", "1MB")
                     // the idle crowd must not take every slot: the operator sizes the listener above
                     // it (the default, 1,000, for the suite's 200; the long run's 1,000 need more)
                     .set("sluice.smtp.max-connections", Math.max(1000, idle + 300))
                     .start()) {
            legitimate(daemon, sink, "warm", 300); // the JIT's first compilations are not the calm state
            long[] calm = legitimate(daemon, sink, "calm", 200);

            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicLong linesSent = new AtomicLong();
            AtomicLong dataStreams = new AtomicLong();
            AtomicLong maxRss = new AtomicLong();
            List<Socket> idlers = new ArrayList<>();
            List<Thread> attackers = new ArrayList<>();
            for (int i = 0; i < idle; i++) {
                try {
                    idlers.add(connect(daemon.smtpPort(), source(i)));
                } catch (IOException e) {
                    break; // refused past the limits: that is the daemon defending itself
                }
            }
            for (int t = 0; t < 4; t++) {
                long threadSeed = seed + t;
                attackers.add(thread("fuzz-" + t, () -> fuzzLines(daemon.smtpPort(), lines / 4, threadSeed, linesSent)));
            }
            attackers.add(thread("garble", () -> garbledData(daemon.smtpPort(), seed, attacking, dataStreams)));
            attackers.add(thread("drip-smtp", () -> drip(daemon.smtpPort(), "EHLO slow.test\r\nMAIL FROM:<a@b.test>\r\n",
                    20, attacking)));
            attackers.add(thread("drip-http", () -> drip(daemon.httpPort(),
                    "POST /api/v1/inject HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100000\r\n\r\n{\"envelope_sender\":", 20, attacking)));
            attackers.add(thread("rss", () -> watchRss(daemon.pid(), attacking, maxRss)));
            attackers.forEach(Thread::start);

            long[] attacked = legitimate(daemon, sink, "attacked", 200);
            Thread.sleep(Math.max(0, seconds * 1000L - 1000));
            attacking.set(false);
            for (Thread t : attackers) {
                t.join(120_000);
            }
            for (Socket s : idlers) {
                s.close();
            }
            double ratio = percentileMillis(attacked, 99) / Math.max(0.001, percentileMillis(calm, 99));
            System.out.printf("hostile clients (seed %d): %d fuzzed lines, %d garbled DATA streams, %d idle sessions held,"
                            + " 2 drip clients for %d s; legitimate inject->250 p50/p99 calm %.2f/%.2f ms, attacked"
                            + " %.2f/%.2f ms (p99 ratio %.2f); daemon RSS max %d MB%n",
                    seed, linesSent.get(), dataStreams.get(), idlers.size(), seconds,
                    percentileMillis(calm, 50), percentileMillis(calm, 99),
                    percentileMillis(attacked, 50), percentileMillis(attacked, 99), ratio,
                    maxRss.get() / (1024 * 1024));
            assertTrue(linesSent.get() >= lines * 9L / 10, "the fuzzers got their lines in: " + linesSent.get());
            assertTrue(maxRss.get() > 0 && maxRss.get() < 1536L * 1024 * 1024, "RSS " + maxRss.get());
            assertEquals(200, daemon.healthStatus(), "the daemon is up and healthy");
            if (Boolean.getBoolean("sluice.hostile.check-ratio")) {
                assertTrue(ratio <= 5.0, "the legitimate client's p99 within 5x of calm: " + ratio);
            }
        }
    }

    /** Sends {@code n} messages one after another and waits for them at the sink; inject→250 in µs, sorted. */
    private static long[] legitimate(DaemonProcess daemon, SmtpSink sink, String label, int n) throws Exception {
        long[] micros = new long[n];
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            assertEquals(250, smtp.command("EHLO legit.test").code());
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                assertEquals(250, smtp.command("MAIL FROM:<legit@src.test>").code());
                assertEquals(250, smtp.command("RCPT TO:<" + label + i + "@dest.test>").code());
                SmtpDialogue.Reply r = smtp.data("Subject: " + label + " " + i + "\r\nMessage-ID: <legit-" + label + "-" + i
                        + "@src.test>\r\n\r\nhello\r\n");
                assertEquals(250, r.code(), r.toString());
                micros[i] = (System.nanoTime() - start) / 1000;
            }
        }
        for (int i = 0; i < n; i++) {
            String id = "<legit-" + label + "-" + i + "@src.test>";
            SinkWaits.await(sink, id, Duration.ofSeconds(120), SinkWaits.containing("Message-ID: " + id));
        }
        Arrays.sort(micros);
        return micros;
    }

    private static double percentileMillis(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1000.0;
    }

    private static void fuzzLines(int port, int n, long seed, AtomicLong sent) {
        Random r = new Random(seed);
        int done = 0;
        int source = (int) (seed % SOURCES);
        while (done < n) {
            try (Socket s = connect(port, source(source++))) {
                Thread drain = thread("drain", () -> drain(s));
                drain.start();
                OutputStream out = s.getOutputStream();
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 200 && done < n; i++, done++) {
                    batch.append(fuzzLine(r)).append("\r\n");
                }
                out.write(batch.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                sent.addAndGet(200);
                s.shutdownOutput();
                drain.join(10_000);
            } catch (IOException | InterruptedException e) {
                // closed on us for misbehaving: a new connection goes on
            }
        }
    }

    private static String fuzzLine(Random r) {
        StringBuilder line = new StringBuilder();
        switch (r.nextInt(5)) {
            case 0 -> line.append(VERBS[r.nextInt(VERBS.length)]);
            case 1 -> line.append(VERBS[r.nextInt(VERBS.length)]).append('<').append("x".repeat(r.nextInt(2000))).append('>');
            case 2 -> line.append(VERBS[r.nextInt(VERBS.length)]).append(' ').append(randomText(r, r.nextInt(300)));
            case 3 -> line.append(randomText(r, r.nextInt(1200)));
            default -> line.append("MAIL FROM:<").append(randomText(r, r.nextInt(80))).append("> SIZE=")
                    .append(r.nextLong()).append(" BODY=").append(randomText(r, 5));
        }
        return line.toString();
    }

    /** Any octet but CR and LF (they would end the line early, which case 3 of the next line covers). */
    private static String randomText(Random r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) r.nextInt(256);
            sb.append(c == '\r' || c == '\n' ? ' ' : c);
        }
        return sb.toString();
    }

    private static void garbledData(int port, long seed, AtomicBoolean attacking, AtomicLong streams) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        int source = 0;
        while (attacking.get()) {
            try (Socket s = connect(port, source(source++))) {
                Thread drain = thread("drain", () -> drain(s));
                drain.start();
                OutputStream out = s.getOutputStream();
                out.write(("EHLO garble.test\r\nMAIL FROM:<g@src.test>\r\nRCPT TO:<g@dest.test>\r\nDATA\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] body = new byte[r.nextInt(64 * 1024)];
                r.nextBytes(body);
                for (int i = 0; i < body.length; i += 1 + r.nextInt(200)) {
                    body[i] = (byte) "\r\n.\u0000".charAt(r.nextInt(4));
                }
                out.write(body);
                if (r.nextBoolean()) {
                    out.write("\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                streams.incrementAndGet();
                s.shutdownOutput();
                drain.join(10_000);
            } catch (IOException | InterruptedException e) {
                // refused or cut: the next stream goes on
            }
        }
    }

    /** Opens {@code n} connections and feeds each one byte every two seconds while the attack lasts. */
    private static void drip(int port, String text, int n, AtomicBoolean attacking) {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(connect(port, source(SOURCES - 1 - (i % 5))));
            }
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; attacking.get(); i = (i + 1) % bytes.length) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(bytes[i]);
                    } catch (IOException closed) {
                        // the daemon hung up on a slow client: good
                    }
                }
                Thread.sleep(2000);
            }
        } catch (IOException | InterruptedException e) {
            // refused past the limits
        } finally {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private static void watchRss(long pid, AtomicBoolean attacking, AtomicLong max) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        while (attacking.get()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        max.accumulateAndGet(kb * 1024, Math::max);
                    }
                }
                Thread.sleep(250);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    private static void drain(Socket s) {
        try (InputStream in = s.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // reset by the daemon: fine
        }
    }

    private static Socket connect(int port, String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static String source(int i) {
        return "127.0.1." + (1 + Math.floorMod(i, SOURCES));
    }

    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
