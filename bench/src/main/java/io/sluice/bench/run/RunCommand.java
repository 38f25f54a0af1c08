package io.sluice.bench.run;

import io.sluice.bench.Durations;
import io.sluice.bench.UserError;
import io.sluice.bench.inject.InjectOptions;
import io.sluice.bench.inject.InjectStats;
import io.sluice.bench.inject.Injection;
import io.sluice.bench.inject.Progress;
import io.sluice.bench.inject.Targets;
import io.sluice.bench.measure.BenchClock;
import io.sluice.bench.measure.BenchHeaders;
import io.sluice.bench.measure.HtmlReport;
import io.sluice.bench.measure.PerSecond;
import io.sluice.bench.measure.ProcStats;
import io.sluice.bench.sink.SinkScript;
import io.sluice.bench.sink.SmtpSinkServer;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a sink and the daemon (or attach to one), inject, wait for delivery, and report"
                + " throughput, latency percentiles, CPU per message and peak RSS (.hgrm + HTML).")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    InjectOptions options;

    @Option(names = "--name", description = "label of this run in the result line (default ${DEFAULT-VALUE})", defaultValue = "run")
    String name;

    @Option(names = "--jar", description = "daemon jar (default $SLUICE_JAR or daemon/target/sluice.jar)")
    Path jar;

    @Option(names = "--durability", description = "mmap or fsync (default ${DEFAULT-VALUE})", defaultValue = "fsync")
    String durability;

    @Option(names = "--dkim-key", description = "sign with this PEM key (RSA or Ed25519) for the From domain")
    Path dkimKey;

    @Option(names = "--dkim-selector", description = "DKIM selector (default ${DEFAULT-VALUE})", defaultValue = "bench")
    String dkimSelector;

    @Option(names = "--daemon-opt", description = "extra daemon setting key=value (without -D), repeatable")
    List<String> daemonOpts = new ArrayList<>();

    @Option(names = "--java-opt", description = "extra JVM option for the daemon, repeatable (e.g. JFR)")
    List<String> javaOpts = new ArrayList<>();

    @Option(names = "--attach", description = "inject into a running daemon at host:port instead of starting one"
            + " (point its smarthost at --sink-listen)")
    String attach;

    @Option(names = "--daemon-pid", description = "with --attach: the daemon's PID, for CPU and RSS")
    Long daemonPid;

    @Option(names = "--direct", description = "no daemon: inject straight into the sink (the tool's own limit)")
    boolean direct;

    @Option(names = "--via", description = "smtp or http (default ${DEFAULT-VALUE})", defaultValue = "smtp")
    String via;

    @Option(names = "--sink-listen", description = "sink address (default ${DEFAULT-VALUE}: a free port)", defaultValue = "127.0.0.1:0")
    String sinkListen;

    @Option(names = "--sink-script", description = "sink rule, repeatable (see `sink --help`)")
    List<String> sinkScript = new ArrayList<>();

    @Option(names = "--sink-threads", description = "sink event-loop threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int sinkThreads;

    @Option(names = "--store", description = "the sink writes received messages here (for DKIM checks)")
    Path store;

    @Option(names = "--warmup", description = "messages sent (and delivered) before the measured run (default ${DEFAULT-VALUE})", defaultValue = "0")
    long warmup;

    @Option(names = "--drain-timeout", description = "how long to wait for deliveries after the injection (default ${DEFAULT-VALUE})", defaultValue = "120s")
    String drainTimeout;

    @Option(names = "--out", description = "directory for the reports (default /tmp/sluice-bench/<time>)")
    Path out;

    private RunResult result;

    /** The last result (for tests and callers embedding the command). */
    public RunResult result() {
        return result;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        if (!durability.equals("mmap") && !durability.equals("fsync")) {
            throw new UserError("--durability must be mmap or fsync");
        }
        if (!via.equals("smtp") && !via.equals("http")) {
            throw new UserError("--via must be smtp or http");
        }
        if (direct && (attach != null || via.equals("http"))) {
            throw new UserError("--direct injects SMTP into the sink; it cannot be combined with --attach or --via http");
        }
        if (dkimKey != null && !Files.isReadable(dkimKey)) {
            throw new UserError("--dkim-key " + dkimKey + ": not readable");
        }
        options.plan(); // validate before starting anything
        Path dir = out != null ? out : Path.of(System.getProperty("java.io.tmpdir"), "sluice-bench",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        SinkScript script;
        try {
            script = SinkScript.parse(sinkScript);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        InetSocketAddress sl = Targets.hostPort(sinkListen, "--sink-listen");
        if (store != null) {
            Files.createDirectories(store);
        }
        try (SmtpSinkServer sink = new SmtpSinkServer("sink.localhost", script, store, false, sinkThreads)) {
            InetSocketAddress sinkAddress;
            try {
                sinkAddress = sink.listen(List.of(new InetSocketAddress(sl.getHostString(), sl.getPort()))).get(0);
            } catch (IllegalStateException e) {
                throw new UserError(e.getMessage());
            }
            SluiceDaemon daemon = null;
            try {
                String host = "127.0.0.1";
                int port;
                long pid = -1;
                int httpPort = -1;
                if (direct) {
                    port = sinkAddress.getPort();
                } else if (attach != null) {
                    InetSocketAddress a = Targets.hostPort(attach, "--attach");
                    host = a.getHostString();
                    port = a.getPort();
                    pid = daemonPid == null ? -1 : daemonPid;
                    Targets.reachable(host, port, "the daemon");
                } else {
                    console.println("starting the daemon (" + durability + (dkimKey != null ? ", DKIM " + dkimKey.getFileName() : "")
                            + "), sink on " + sinkAddress);
                    daemon = SluiceDaemon.start(daemonJar(), dir.resolve("daemon"), daemonProperties(sinkAddress), javaOpts);
                    port = daemon.smtpPort();
                    pid = daemon.pid();
                    httpPort = daemon.httpPort();
                }
                if (warmup > 0) {
                    warmUp(sink, host, port, httpPort, console);
                }
                result = measure(sink, host, port, httpPort, pid, console);
            } finally {
                if (daemon != null) {
                    daemon.close();
                }
            }
        }
        write(dir, result);
        console.println(result.line());
        console.println("reports: " + dir.resolve("report.html") + " and *.hgrm");
        if (result.accepted() == 0) {
            throw new UserError("no message accepted (errors=" + result.errors() + ")");
        }
        return 0;
    }

    private Path daemonJar() {
        if (jar != null) {
            return jar;
        }
        String env = System.getenv("SLUICE_JAR");
        return Path.of(env != null && !env.isBlank() ? env : "daemon/target/sluice.jar");
    }

    private Map<String, String> daemonProperties(InetSocketAddress sink) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sluice.spool.durability", durability);
        p.put("sluice.smarthost", "127.0.0.1:" + sink.getPort());
        p.put("sluice.delivery.tls", "none");
        if (dkimKey != null) {
            String domain = options.from.substring(options.from.indexOf('@') + 1);
            p.put("sluice.dkim.domains." + domain + ".selectors." + dkimSelector + ".key-file", dkimKey.toAbsolutePath().toString());
        }
        for (String kv : daemonOpts) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--daemon-opt " + kv + ": expected key=value");
            }
            p.put(kv.substring(0, eq).replaceFirst("^-D", ""), kv.substring(eq + 1));
        }
        return p;
    }

    private void inject(Injection injection, String host, int port, int httpPort) {
        if (via.equals("http")) {
            if (httpPort < 0) {
                throw new UserError("--via http needs a daemon started by run");
            }
            injection.viaHttp(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/inject"), null);
        } else {
            injection.viaSmtp(host, port);
        }
    }

    private void warmUp(SmtpSinkServer sink, String host, int port, int httpPort, PrintStream console) throws InterruptedException {
        InjectOptions w = copyForWarmup();
        Injection warm = new Injection(w, InjectOptions.newRunId() + "w");
        long before = sink.counters().messages.sum();
        console.println("warm-up: " + warmup + " messages");
        inject(warm, host, port, httpPort);
        long deadline = System.nanoTime() + Durations.parse(drainTimeout).toNanos();
        while (sink.counters().messages.sum() - before < warm.stats().accepted.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private InjectOptions copyForWarmup() {
        InjectOptions w = new InjectOptions();
        w.connections = options.connections;
        w.count = warmup;
        w.size = options.size;
        w.domains = options.domains;
        w.recipients = options.recipients;
        w.headers = options.headers;
        w.from = options.from;
        w.startTls = options.startTls;
        w.auth = options.auth;
        w.ehlo = options.ehlo;
        w.messagesPerConnection = options.messagesPerConnection;
        w.ioThreads = options.ioThreads;
        w.timeout = options.timeout;
        return w;
    }

    private RunResult measure(SmtpSinkServer sink, String host, int port, int httpPort, long pid, PrintStream console)
            throws InterruptedException {
        String runId = InjectOptions.newRunId();
        Injection injection = new Injection(options, runId);
        InjectStats stats = injection.stats();
        long expected = injection.plan().expected();
        AtomicLongArray deliveredAt = new AtomicLongArray((int) Math.min(Injection.trackedMessages(injection.plan()), 20_000_000));
        AtomicLong delivered = new AtomicLong();
        AtomicLong lastDelivery = new AtomicLong();
        long startMicros = BenchClock.nowMicros();
        PerSecond deliveredPerSecond = new PerSecond(startMicros);
        long sinkBefore = sink.counters().messages.sum();
        long dupBefore = sink.counters().duplicates.sum();
        sink.onReceipt((BenchHeaders.Found m, long at) -> {
            if (!runId.equals(m.run())) {
                return;
            }
            long seq = m.sequence();
            boolean first = seq < 0 || seq >= deliveredAt.length() || deliveredAt.compareAndSet((int) seq, 0, at);
            if (first) {
                delivered.incrementAndGet();
                deliveredPerSecond.add(at);
                lastDelivery.accumulateAndGet(at, Math::max);
            }
        });
        long self = ProcessHandle.current().pid();
        double daemonCpu0 = pid > 0 ? ProcStats.cpuSeconds(pid) : -1;
        double selfCpu0 = ProcStats.cpuSeconds(self);
        double busy0 = ProcStats.machineBusySeconds();
        try (Progress p = new Progress(stats, expected, console, Progress.stdoutIsTerminal(), delivered::get)) {
            inject(injection, host, port, httpPort);
            long deadline = System.nanoTime() + Durations.parse(drainTimeout).toNanos();
            while (delivered.get() < stats.accepted.get() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        long endMicros = Math.max(lastDelivery.get(), startMicros + 1);
        double daemonCpu = pid > 0 ? ProcStats.cpuSeconds(pid) - daemonCpu0 : -1;
        double selfCpu = ProcStats.cpuSeconds(self) - selfCpu0;
        double busy = ProcStats.machineBusySeconds() - busy0;
        double rss = pid > 0 ? ProcStats.statusMb(pid, "VmHWM") : -1;
        Histogram toDelivered = new Histogram(3_600_000_000L, 3);
        Histogram endToEnd = new Histogram(3_600_000_000L, 3);
        long lastAccept = startMicros;
        long firstSend = Long.MAX_VALUE;
        for (int i = 0; i < deliveredAt.length(); i++) {
            long sent = stats.sentAt(i);
            long acc = stats.acceptedAt(i);
            long del = deliveredAt.get(i);
            if (sent > 0) {
                firstSend = Math.min(firstSend, sent);
            }
            lastAccept = Math.max(lastAccept, acc);
            if (del > 0 && sent > 0) {
                endToEnd.recordValue(Math.min(3_599_999_999L, Math.max(0, del - sent)));
            }
            if (del > 0 && acc > 0) {
                toDelivered.recordValue(Math.min(3_599_999_999L, Math.max(0, del - acc)));
            }
        }
        if (firstSend == Long.MAX_VALUE) {
            firstSend = startMicros;
        }
        double others = busy - Math.max(0, daemonCpu) - selfCpu;
        return new RunResult(name, stats.attempted.get(), stats.accepted.get(), stats.tempfailed.get(), stats.permfailed.get(),
                stats.errors.get(), delivered.get(), sink.counters().messages.sum() - sinkBefore,
                sink.counters().duplicates.sum() - dupBefore, (lastAccept - firstSend) / 1e6, (endMicros - firstSend) / 1e6,
                stats.toReply(), toDelivered, endToEnd, daemonCpu, rss, selfCpu, others,
                stats.acceptedPerSecond().snapshot(), deliveredPerSecond.snapshot());
    }

    private static void write(Path dir, RunResult r) throws IOException {
        hgrm(dir.resolve("inject-to-250.hgrm"), r.injectToAccepted());
        hgrm(dir.resolve("250-to-delivered.hgrm"), r.acceptedToDelivered());
        hgrm(dir.resolve("end-to-end.hgrm"), r.endToEnd());
        Map<String, Histogram> lat = new LinkedHashMap<>();
        lat.put("inject → 250", r.injectToAccepted());
        lat.put("250 → delivered", r.acceptedToDelivered());
        lat.put("end to end", r.endToEnd());
        Map<String, long[]> rates = new LinkedHashMap<>();
        rates.put("accepted/s", r.acceptedPerSecond());
        rates.put("delivered/s", r.deliveredPerSecond());
        Files.writeString(dir.resolve("report.html"), HtmlReport.render("sluice-bench run: " + r.name(), r.fields(), lat, rates));
        Files.writeString(dir.resolve("summary.txt"), r.line() + "\n");
    }

    private static void hgrm(Path file, Histogram h) throws IOException {
        try (PrintStream ps = new PrintStream(new FileOutputStream(file.toFile()))) {
            h.outputPercentileDistribution(ps, 1000.0); // microseconds → milliseconds
        }
    }
}
