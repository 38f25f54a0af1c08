package io.sluice.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The two independent verifiers, run as external processes through the project's wrappers
 * ({@code scripts/dkim-verify/}). A missing tool aborts the test locally and fails it
 * loudly when {@code CI=true}, so CI can never pass by skipping.
 */
enum ExternalVerifier {
    DKIMPY("verify-dkimpy.sh"),
    OPENDKIM("verify-opendkim.sh");

    static final Path TOOLS = Path.of(System.getProperty("sluice.repo", ".."), "scripts", "dkim-verify")
            .toAbsolutePath().normalize();

    private final String script;
    private volatile Boolean available;

    ExternalVerifier(String script) {
        this.script = script;
    }

    record Outcome(int exit, String output) {
        boolean passed() {
            return exit == 0;
        }
    }

    /** Verifies the signature with d=domain s=selector in {@code message} (exact bytes). */
    Outcome verify(byte[] message, String selector, String domain, String txt) throws Exception {
        requireAvailable();
        Path f = Files.createTempFile("dkim-", ".eml");
        try {
            Files.write(f, message);
            return run(List.of(TOOLS.resolve(script).toString(), f.toString(), selector, domain, txt));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    void assertPasses(byte[] message, String selector, String domain, String txt) throws Exception {
        Outcome o = verify(message, selector, domain, txt);
        Assertions.assertEquals(0, o.exit(), () -> name() + " rejected s=" + selector + ": " + o.output());
    }

    void assertFails(byte[] message, String selector, String domain, String txt) throws Exception {
        Outcome o = verify(message, selector, domain, txt);
        Assertions.assertEquals(1, o.exit(), () -> name() + " should fail s=" + selector + ": " + o.output());
    }

    private void requireAvailable() throws Exception {
        if (available == null) {
            List<String> probe = this == DKIMPY
                    ? List.of("/usr/bin/python3", "-c", "import dkim, nacl")
                    : List.of("/bin/sh", "-c", "command -v opendkim || test -x /usr/sbin/opendkim");
            boolean ok = Files.isExecutable(TOOLS.resolve(script));
            if (ok) {
                try {
                    ok = run(probe).exit() == 0;
                } catch (IOException e) {
                    ok = false;
                }
            }
            available = ok;
        }
        if (!available) {
            String msg = name() + " verifier not available (" + TOOLS.resolve(script)
                    + "; needs python3-dkim + python3-nacl, or opendkim)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    private static Outcome run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", System.getenv("PATH") + ":/usr/sbin:/sbin");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("verifier timed out: " + cmd);
        }
        return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    }
}
