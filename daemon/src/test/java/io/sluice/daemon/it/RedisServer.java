package io.sluice.daemon.it;

import io.sluice.protocol.testing.ExternalTool;
import io.sluice.protocol.testing.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian's package) for the cluster tests, on a loopback port, without
 * persistence. {@link #shared} is the server {@code scripts/test.sh} started for the run (its URI
 * in {@code SLUICE_TEST_REDIS_URI}); tests on it keep apart by a key prefix of their own
 * ({@link #freshPrefix}). {@link #start} runs a private one a test may kill and restart, by PID.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The run's shared server, or a private one when the run did not start any (outside CI). */
    public static RedisServer shared(Path dir) {
        String uri = System.getenv("SLUICE_TEST_REDIS_URI");
        if (uri != null && !uri.isBlank()) {
            RedisServer external = new RedisServer(null, java.net.URI.create(uri).getPort());
            external.awaitListening(Duration.ofSeconds(10));
            return external;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("SLUICE_TEST_REDIS_URI is not set: scripts/test.sh starts redis-server for CI");
        }
        return start(dir);
    }

    /** A private server this test owns. */
    public static RedisServer start(Path dir) {
        ExternalTool.require("redis-server");
        RedisServer r = new RedisServer(dir, FreePorts.tcp());
        r.launch();
        return r;
    }

    /** A key prefix no other test uses. */
    public static String freshPrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    boolean owned() {
        return dir != null;
    }

    private void launch() {
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(List.of(ExternalTool.require("redis-server").toString(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "yes"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitListening(Duration.ofSeconds(10));
    }

    /** SIGKILL, as a crashed Redis. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts again on the same port, empty (no persistence: what it held is gone, as after a failover). */
    public void restart() {
        launch();
    }

    private void awaitListening(Duration within) {
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new AssertionError("redis-server is not listening on 127.0.0.1:" + port
                + (dir == null ? "" : " (log: " + dir.resolve("redis.log") + ")"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM to our own PID only
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
