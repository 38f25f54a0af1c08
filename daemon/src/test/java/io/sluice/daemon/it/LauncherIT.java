package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/sluice as operators call it: subcommands reach the tools inside the packaged jar. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "sluice").toAbsolutePath().normalize();

    private record Result(int exit, String out) {
    }

    private static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLUICE_JAR", DaemonProcess.jar().toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    @Test
    void bounceClassifyPrintsOneJsonLinePerRecipient(@TempDir Path dir) throws Exception {
        Path replies = dir.resolve("replies.txt");
        Files.writeString(replies, "550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown\n"
                + "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume\n");
        Result r = run("bounce", "classify", "--replies", replies.toString());
        assertEquals(0, r.exit(), r.out());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].contains("\"category\":\"bad-mailbox\"") && lines[0].contains("\"hard\":true"), lines[0]);
        assertTrue(lines[1].contains("\"hard\":false"), "a deferral never counts as hard: " + lines[1]);
    }

    @Test
    void dkimKeygenWritesAKeyAndPrintsTheRecord(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("k.pem");
        Result r = run("dkim", "keygen", "--domain", "example.test", "--selector", "s1", "--algo", "ed25519",
                "--out", key.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(Files.isRegularFile(key));
        assertTrue(r.out().contains("s1._domainkey.example.test") && r.out().contains("k=ed25519"), r.out());
    }

    @Test
    void unknownCommandIsOneLineAndExit2() throws Exception {
        Result r = run("frobnicate");
        assertEquals(2, r.exit());
        assertEquals(1, r.out().strip().split("\n").length, r.out());
    }
}
