package io.sluice.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMTP deadline keys (issue 18 item 6) are read and checked by check-config, each error naming its key. */
class SmtpDeadlineConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws Exception {
        return ConfigProblems.of(dir, yaml);
    }

    @Test
    void aZeroDataTimeoutIsNamed() throws Exception {
        List<String> problems = problems("sluice:\n  limits:\n    data-timeout: 0s\n");
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("sluice.limits.data-timeout=")), problems.toString());
    }

    @Test
    void theDeadlinesAndDrainBoundsAreAccepted() throws Exception {
        assertEquals(List.of(), problems("sluice:\n  limits:\n    data-timeout: 2m\n    session-timeout: 30m\n"
                + "    oversize-drain: 1MB\n    oversize-drain-time: 5s\n    max-connections-per-ip: 20\n"));
    }
}
