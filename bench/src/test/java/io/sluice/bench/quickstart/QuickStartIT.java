package io.sluice.bench.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's offline quick start, as written: {@code scripts/dev-run.sh --sink}, swaks into it,
 * the delivered message in the sink's directory with a DKIM signature dkimpy verifies against the
 * printed record, and the Delivery line in the event log. Only the ports and the var directory are
 * moved (free ports, a test directory), and the build is the one Maven just made.
 */
class QuickStartIT {

    private static final Path REPO = Path.of(System.getProperty("sluice.repo", "..")).toAbsolutePath().normalize();

    @Test
    void theQuickStartDeliversASignedMessageToTheLocalSink(@TempDir Path var) throws Exception {
        requireTool("swaks");
        int smtp = freePort();
        int http = freePort();
        ProcessBuilder run = new ProcessBuilder("bash", "scripts/dev-run.sh", "--sink")
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(var.resolve("dev-run.log").toFile());
        Map<String, String> env = run.environment();
        env.put("SLUICE_DEV_VAR", var.toString());
        env.put("SLUICE_DEV_SMTP_PORT", String.valueOf(smtp));
        env.put("SLUICE_DEV_HTTP_PORT", String.valueOf(http));
        env.put("SLUICE_DEV_SUBMISSION_PORT", String.valueOf(freePort()));
        env.put("SLUICE_DEV_SINK_PORT", String.valueOf(freePort()));
        env.put("SLUICE_DEV_SKIP_BUILD", "1");
        Process script = run.start();
        try {
            awaitHealthy(http, script, var);
            Process swaks = new ProcessBuilder("swaks", "--server", "127.0.0.1:" + smtp, "--from", "me@example.com",
                    "--to", "you@example.net", "--header", "Subject: hello from Sluice").redirectErrorStream(true).start();
            String dialogue = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, swaks.waitFor(), dialogue);

            Path delivered = var.resolve("sink/1.eml");
            awaitFile(delivered);
            String message = Files.readString(delivered, StandardCharsets.ISO_8859_1);
            assertTrue(message.startsWith("DKIM-Signature:") && message.contains("d=example.com; s=dev;"), message);
            assertTrue(message.contains("Subject: hello from Sluice"), message);

            // the README's verify command, word for word but for the paths
            Process verify = new ProcessBuilder("bash", "-c", "scripts/dkim-verify/verify-dkimpy.sh \"$1\" dev example.com "
                    + "\"$(sed -n 's/^[^\"]*\"\\([^\"]*\\)\".*/\\1/p' \"$2\" | tr -d '\\n')\"", "verify",
                    delivered.toString(), var.resolve("dev/example.com.dns.txt").toString())
                    .directory(REPO.toFile()).redirectErrorStream(true).start();
            String verdict = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, verify.waitFor(), verdict);
            assertTrue(verdict.contains("pass"), verdict);

            List<String> events = awaitLines(var.resolve("log/events.jsonl"), "\"type\":\"Delivery\"");
            assertTrue(events.stream().anyMatch(e -> e.contains("\"recipient\":\"you@example.net\"")), events.toString());
        } finally {
            // the script, the daemon and the sink it started, by their PIDs
            script.descendants().forEach(ProcessHandle::destroy);
            script.destroy();
            if (!script.waitFor(60, TimeUnit.SECONDS)) {
                script.descendants().forEach(ProcessHandle::destroyForcibly);
                script.destroyForcibly();
            }
        }
    }

    private static void requireTool(String name) throws Exception {
        Process which = new ProcessBuilder("bash", "-c", "command -v " + name).start();
        if (which.waitFor() != 0) {
            String why = name + " is not installed (scripts/install-test-deps.sh installs it)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitHealthy(int port, Process script, Path var) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!script.isAlive()) {
                throw new AssertionError("dev-run.sh exited: " + Files.readString(var.resolve("dev-run.log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL()
                        .openConnection();
                c.setConnectTimeout(1000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the daemon did not become healthy: " + Files.readString(var.resolve("dev-run.log")));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.isRegularFile(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.isRegularFile(file), "nothing delivered to " + file);
    }

    private static List<String> awaitLines(Path file, String containing) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> found = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                found = Files.readAllLines(file).stream().filter(l -> l.contains(containing)).toList();
                if (!found.isEmpty()) {
                    return found;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line with " + containing + " in " + file);
    }
}
