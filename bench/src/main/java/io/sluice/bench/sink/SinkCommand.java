package io.sluice.bench.sink;

import io.sluice.bench.Durations;
import io.sluice.bench.UserError;
import io.sluice.bench.inject.LatencySummary;
import io.sluice.bench.inject.Targets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "An SMTP sink that behaves like mailbox providers (scripted replies, latency, rate and connection limits).",
        footer = {"", "Script: MATCH:key=value;key=value  with MATCH = * | domain | port=N", "  keys: tempfail=%%, permfail=%%,"
                + " temp-reply='4xx …', perm-reply='5xx …', latency=ms, rate=N/s, provider=gmail|yahoo|microsoft|generic, max-conns=N,"
                + " complain=%% (with --feedback-to)",
                "  e.g. --script 'yahoo.test:rate=200/s;provider=yahoo' --script 'gmail.test:tempfail=5;permfail=1;latency=20'"})
public final class SinkCommand implements Callable<Integer> {
    @Option(names = "--listen", description = "address to listen on, repeatable (default 127.0.0.1:2526)")
    List<String> listen = new ArrayList<>();

    @Option(names = "--script", description = "a rule, repeatable (see below)")
    List<String> script = new ArrayList<>();

    @Option(names = "--feedback-to", description = "send the complaints that complain=N deals as ARF reports over SMTP to HOST:PORT")
    String feedbackTo;

    @Option(names = "--feedback-address", defaultValue = "fbl@localhost",
            description = "the recipient of those reports, the sender's feedback address (default ${DEFAULT-VALUE})")
    String feedbackAddress;

    @Option(names = "--store", description = "write each received message (exact CRLF bytes) to this directory")
    Path store;

    @Option(names = "--starttls", description = "offer STARTTLS with a self-signed certificate")
    boolean startTls;

    @Option(names = "--tls-cert", description = "offer STARTTLS with this PEM certificate chain (leaf first); needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", description = "the PEM (PKCS#8) private key of --tls-cert")
    Path tlsKey;

    @Option(names = "--hostname", defaultValue = "sink.localhost", description = "name in the greeting (default ${DEFAULT-VALUE})")
    String hostname;

    @Option(names = "--io-threads", defaultValue = "1", description = "event-loop threads (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--duration", defaultValue = "1h", description = "stop by itself after this long (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--stats-every", defaultValue = "5s", description = "print counters this often (default ${DEFAULT-VALUE})")
    String statsEvery;

    @Option(names = "--stats-file", description = "write the final counters here")
    Path statsFile;

    @Override
    public Integer call() throws Exception {
        SinkScript rules;
        try {
            rules = SinkScript.parse(script);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String l : listen.isEmpty() ? List.of("127.0.0.1:2526") : listen) {
            InetSocketAddress a = Targets.hostPort(l, "--listen");
            addresses.add(new InetSocketAddress(a.getHostString(), a.getPort()));
        }
        if (store != null) {
            Files.createDirectories(store);
        }
        long stopAfter = Durations.parse(duration).toMillis();
        long every = Math.max(100, Durations.parse(statsEvery).toMillis());
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UserError("--tls-cert and --tls-key go together");
        }
        SmtpSinkServer server;
        if (tlsCert != null) {
            io.netty.handler.ssl.SslContext given;
            try {
                given = SmtpSinkServer.tlsFrom(tlsCert, tlsKey);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            server = new SmtpSinkServer(hostname, rules, store, given, ioThreads);
        } else {
            server = new SmtpSinkServer(hostname, rules, store, startTls, ioThreads);
        }
        if (feedbackTo != null) {
            server.complainTo(Targets.hostPort(feedbackTo, "--feedback-to"), feedbackAddress);
        }
        List<InetSocketAddress> bound;
        try {
            bound = server.listen(addresses);
        } catch (IllegalStateException e) {
            server.close();
            throw new UserError(e.getMessage());
        }
        System.out.println("sink listening on " + bound);
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            finish(server);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        long end = System.currentTimeMillis() + stopAfter;
        long last = 0;
        while (System.currentTimeMillis() < end && !stop.await(Math.min(every, Math.max(1, end - System.currentTimeMillis())),
                TimeUnit.MILLISECONDS)) {
            long n = server.counters().messages.sum();
            System.out.printf("sink messages=%d rate=%.0f/s open_connections=%d%n", n, (n - last) * 1000.0 / every,
                    server.counters().openConnections.get());
            last = n;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return 0;
        }
        finish(server);
        return 0;
    }

    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    private void finish(SmtpSinkServer server) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        server.close();
        String summary = server.counters().summary() + LatencySummary.of("sent_to_sink", server.counters().sentToReceived()) + "\n"
                + (feedbackTo == null ? "" : "complaints_sent=" + server.complaintsSent() + " complaints_failed="
                + server.complaintsFailed() + "\n");
        System.out.print(summary);
        if (statsFile != null) {
            try {
                Files.writeString(statsFile, summary);
            } catch (IOException e) {
                System.err.println("sluice-bench: cannot write " + statsFile + ": " + e.getMessage());
            }
        }
    }
}
