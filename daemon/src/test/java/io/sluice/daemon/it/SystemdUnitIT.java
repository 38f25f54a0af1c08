package io.sluice.daemon.it;

import io.sluice.protocol.testing.ExternalTool;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unit file operators install passes systemd's own checker. */
class SystemdUnitIT {

    @Test
    void unitFilePassesSystemdAnalyzeVerify() throws Exception {
        Path unit = Path.of("..", "systemd", "sluice.service").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(unit), unit.toString());
        String unitText = Files.readString(unit);
        assertTrue(unitText.contains("User=sluice"), "runs unprivileged");
        assertTrue(unitText.contains("/var/spool/sluice"), "spool under /var/spool/sluice");
        assertTrue(unitText.contains("/etc/sluice/sluice.yml"), "config at /etc/sluice/sluice.yml");
        Process p = new ProcessBuilder(ExternalTool.require("systemd-analyze").toString(), "verify", unit.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(!out.contains("sluice.service:"), "no warnings about the unit: " + out);
    }
}
