package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/sluice check-config}: every problem is named by its key and the exit is non-zero; a
 * good file passes; and the daemon refuses to start on the same file.
 */
class ConfigCheckIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "sluice").toAbsolutePath().normalize();

    private record Result(int exit, String out) {
    }

    private static Result run(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLUICE_JAR", DaemonProcess.jar().toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().putAll(env);
        pb.directory(cwd.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "still running: " + out);
        return new Result(p.exitValue(), out);
    }

    @Test
    void everyBadKeyIsNamedAndTheDaemonRefusesTheSameFile(@TempDir Path dir) throws Exception {
        Path egress = dir.resolve("egress.yml");
        Files.writeString(egress, "pools:\n  main: {sources: {nobody: 1}}\n");
        Path breaker = dir.resolve("breaker.yml");
        Files.writeString(breaker, "rules:\n  - name: complaint-pause\n    threshold: 150%\n");
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, """
                sluice:
                  smtp:
                    port: 99999
                  egress:
                    file: %s
                  breaker:
                    rules-file: %s
                  spool:
                    dir: %s
                  events:
                    file: %s
                micronaut:
                  server:
                    port: %d
                """.formatted(egress, breaker, dir.resolve("spool"), dir.resolve("events.jsonl"), DaemonProcess.freePort()));
        Result checked = run(dir, Map.of(), "check-config", bad.toString());
        assertEquals(1, checked.exit(), checked.out());
        assertTrue(checked.out().contains("3 problem(s)"), checked.out());
        assertTrue(checked.out().contains("threshold") && checked.out().contains("at most 100%"), checked.out());
        assertTrue(checked.out().contains("sluice.smtp.port: must be less than or equal to 65535"), checked.out());
        assertTrue(checked.out().contains("pools.main.sources.nobody"), checked.out());
        assertTrue(Files.notExists(dir.resolve("spool")), "check-config opens no spool");

        Path good = dir.resolve("good.yml");
        Files.writeString(good, "sluice:\n  smtp:\n    port: 2526\n    hostname: mta.example.test\n");
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Result ok = run(cwd, Map.of(), "check-config", good.toString());
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains(": OK"), ok.out());
        assertTrue(Files.notExists(cwd.resolve("var")), "check-config opens no spool (default ./var)");
        assertEquals(2, run(dir, Map.of(), "check-config", dir.resolve("missing.yml").toString()).exit());

        // the daemon itself does not start with the bad file
        Result daemon = run(dir, Map.of("SLUICE_CONFIG", bad.toString()), "run");
        assertNotEquals(0, daemon.exit(), daemon.out());
        assertTrue(daemon.out().contains("65535"), daemon.out());
    }

    @Test
    void theAdBitOfAResolverOffLoopbackIsRefusedWithItsKey(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("dane.yml");
        Files.writeString(bad, """
                sluice:
                  dane:
                    validation: resolver-ad
                    resolver: 192.0.2.53:53
                  spool:
                    dir: %s
                """.formatted(dir.resolve("spool")));
        Result checked = run(dir, Map.of(), "check-config", bad.toString());
        assertEquals(1, checked.exit(), checked.out());
        assertTrue(checked.out().contains("sluice.dane.resolver"), checked.out());
        assertTrue(checked.out().contains("loopback"), checked.out());
    }

    @Test
    void tenantDomainRelayAndComplianceKeysAreChecked(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("tenants.yml");
        Files.writeString(bad, """
                sluice:
                  tenants:
                    shop:
                      compliance: strict
                      relay-networks: 10.0.0.0/99
                """);
        Result checked = run(dir, Map.of(), "check-config", bad.toString());
        assertEquals(1, checked.exit(), checked.out());
        assertTrue(checked.out().contains("2 problem(s)"), checked.out());
        assertTrue(checked.out().contains("sluice.tenants.shop.compliance=strict: must be report, fix or enforce"), checked.out());
        assertTrue(checked.out().contains("sluice.tenants.shop.relay-networks=10.0.0.0/99: prefix length out of range"), checked.out());

        Path twice = dir.resolve("twice.yml");
        Files.writeString(twice, """
                sluice:
                  foreign-domains: unsigned
                  tenants:
                    shop:
                      domains: [shop.example]
                    news:
                      domains: [news.example, shop.example]
                      foreign-domains: drop
                """);
        Result dup = run(dir, Map.of(), "check-config", twice.toString());
        assertEquals(1, dup.exit(), dup.out());
        assertTrue(dup.out().contains("foreign-domains=drop: must be refuse or unsigned")
                || dup.out().contains(".domains=shop.example: already declared by sluice.tenants."), dup.out());
    }
}
