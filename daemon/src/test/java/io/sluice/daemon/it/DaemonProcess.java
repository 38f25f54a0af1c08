package io.sluice.daemon.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon, run from the packaged jar in its own JVM (as an operator runs it), on free
 * loopback ports, with its spool and event log in a test directory. Stopped by its own PID.
 */
final class DaemonProcess implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final int smtpPort;
    private final int httpPort;
    private final int submissionPort;
    private Process process;
    private int starts;

    private DaemonProcess(Path dir, Map<String, String> properties, Map<String, String> environment, int smtpPort,
                          int httpPort, int submissionPort) {
        this.submissionPort = submissionPort;
        this.dir = dir;
        this.properties = properties;
        this.environment = environment;
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
    }

    static Builder in(Path dir) {
        return new Builder(dir);
    }

    static final class Builder {
        private final Path dir;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir;
            // every test MX lives on 127.0.0.x; a test may set it back to false
            properties.put("sluice.delivery.allow-private-mx", "true");
        }

        Builder set(String key, Object value) {
            properties.put(key, String.valueOf(value));
            return this;
        }

        /** An environment variable for the daemon's process, e.g. NOTIFY_SOCKET. */
        Builder env(String key, Object value) {
            environment.put(key, String.valueOf(value));
            return this;
        }

        DaemonProcess start() throws Exception {
            for (int attempt = 1; ; attempt++) {
                int smtp = freePort();
                int http = freePort(smtp);
                int submission = freePort(smtp, http);
                DaemonProcess daemon = new DaemonProcess(dir, properties, environment, smtp, http, submission);
                try {
                    daemon.startAgain();
                    return daemon;
                } catch (IllegalStateException e) {
                    // Another process on a shared machine may take a probed port before the daemon
                    // binds it; that is the test's set-up failing, not the daemon, so pick again.
                    daemon.close();
                    if (attempt == 3 || !e.getMessage().contains("already in use")) {
                        throw e;
                    }
                }
            }
        }
    }

    /** A free port other than {@code taken}: the kernel may hand out a port just released again. */
    static int freePort(int... taken) throws IOException {
        while (true) {
            int port = freePort();
            if (java.util.Arrays.stream(taken).noneMatch(t -> t == port)) {
                return port;
            }
        }
    }

    /**
     * A port free on every address, chosen below the kernel's ephemeral range: a port the kernel
     * handed out with bind(0) is also what it hands the next outgoing connection (the daemon's own,
     * a sink's, a campaign's hundreds of thousands), which then holds it when the daemon binds.
     */
    static int freePort() throws IOException {
        int below = ephemeralLow();
        for (int tries = 0; tries < 200 && below > 12_000; tries++) {
            int port = 10_000 + PORTS.nextInt(below - 10_000);
            if (bindable(port)) {
                return port;
            }
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(0), 1);
            return s.getLocalPort();
        }
    }

    private static final java.util.Random PORTS = new java.security.SecureRandom();

    private static boolean bindable(int port) {
        // Without SO_REUSEADDR, as Micronaut binds, and on the wildcard address, as a test with
        // micronaut.server.host=0.0.0.0 binds: a port in TIME_WAIT or taken on any address is refused.
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralLow() {
        // Read as a stream: Files.readString trusts the size /proc reports and returned "3"
        try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            String range = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low >= 1024 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    static Path jar() {
        String jar = System.getProperty("sluice.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("sluice.jar not found (" + jar + "): integration tests run after "
                    + "`mvn package`, e.g. with `mvn verify`");
        }
        return Path.of(jar);
    }

    /** Starts (or restarts, after a stop or a kill) the daemon over the same spool. */
    void startAgain() throws Exception {
        starts++;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dchronicle.analytics.disable=true",
                "-Dsluice.smtp.port=" + smtpPort, "-Dmicronaut.server.port=" + httpPort,
                "-Dsluice.submission.port=" + submissionPort,
                "-Dsluice.spool.dir=" + dir.resolve("spool"),
                "-Dsluice.events.file=" + eventsFile()));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar().toString());
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().putAll(environment);
        process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        awaitHealthy(Duration.ofSeconds(120)); // a restart over a large spool on a loaded 2-core machine took 55 s
    }

    Path log() {
        return dir.resolve("daemon.log");
    }

    Path eventsFile() {
        return dir.resolve("events.jsonl");
    }

    Path spoolDir() {
        return dir.resolve("spool");
    }

    int smtpPort() {
        return smtpPort;
    }

    int httpPort() {
        return httpPort;
    }

    int submissionPort() {
        return submissionPort;
    }

    long pid() {
        return process.pid();
    }

    EventLogReader events() {
        return new EventLogReader(eventsFile());
    }

    /** The admin API, with the daemon's {@code sluice.admin.token} when one is set. */
    AdminApi admin() {
        return new AdminApi("http://127.0.0.1:" + httpPort, properties.get("sluice.admin.token"));
    }

    /** Sends test mail to the relay port. */
    MailSender mail() {
        return new MailSender(smtpPort);
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("daemon exited with " + process.exitValue() + "; log:\n" + tail());
            }
            if (healthStatus() == 200 && smtpAnswers()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("daemon not healthy within " + timeout + "; log:\n" + tail());
    }

    /** HTTP status of GET /health, or -1 when nothing answers. */
    int healthStatus() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/health").toURL()
                    .openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            int status = c.getResponseCode();
            c.disconnect();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    String healthBody() throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/health").toURL()
                .openConnection();
        try (var in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new String(in.readAllBytes());
        }
    }

    private boolean smtpAnswers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", smtpPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook, no flush; what survives is what the spool promised. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal by name (e.g. "HUP") to the daemon's own PID. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** Waits for the daemon to exit by itself (after a signal); its exit code, or -1 when it is still running. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGTERM and wait. */
    int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? 0 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
