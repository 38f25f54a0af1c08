package io.sluice.bench.run;

import io.sluice.bench.UserError;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The daemon under test, started from the packaged jar in its own JVM on free loopback ports,
 * with its spool and log in the run's directory; stopped by its own PID (SIGTERM, then SIGKILL
 * after 30 s).
 */
final class SluiceDaemon implements AutoCloseable {
    private final Process process;
    private final int smtpPort;
    private final int httpPort;
    private final Path log;

    private SluiceDaemon(Process process, int smtpPort, int httpPort, Path log) {
        this.process = process;
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
        this.log = log;
    }

    static SluiceDaemon start(Path jar, Path dir, Map<String, String> properties, List<String> javaOptions)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new UserError("daemon jar not found: " + jar + " (build it: mvn -q -DskipTests package -pl daemon -am)");
        }
        int smtp = freePort();
        int http = freePort();
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"));
        cmd.addAll(javaOptions);
        cmd.add("-Dsluice.smtp.bind=127.0.0.1");
        cmd.add("-Dsluice.smtp.port=" + smtp);
        cmd.add("-Dmicronaut.server.host=127.0.0.1");
        cmd.add("-Dmicronaut.server.port=" + http);
        cmd.add("-Dsluice.spool.dir=" + dir.resolve("spool"));
        cmd.add("-Dsluice.events.file=" + dir.resolve("events.jsonl"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Path log = dir.resolve("daemon.log");
        Files.writeString(log, String.join(" ", cmd) + "\n");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        SluiceDaemon d = new SluiceDaemon(p, smtp, http, log);
        Runtime.getRuntime().addShutdownHook(new Thread(d::close));
        d.awaitHealthy(90_000);
        return d;
    }

    private void awaitHealthy(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new UserError("the daemon exited with status " + process.exitValue() + " during start-up; see " + log);
            }
            if (healthy() && smtpAnswers()) {
                return;
            }
            Thread.sleep(100);
        }
        close();
        throw new UserError("the daemon was not healthy within " + timeoutMillis / 1000 + "s; see " + log);
    }

    private boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/health").toURL()
                    .openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(3000);
            int status = c.getResponseCode();
            c.disconnect();
            return status == 200;
        } catch (IOException e) {
            return false;
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    int smtpPort() {
        return smtpPort;
    }

    int httpPort() {
        return httpPort;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
