package io.sluice.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engagement keys (issue 20) are read and checked by check-config, each error naming its key. */
class EngagementConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws Exception {
        return ConfigProblems.of(dir, yaml);
    }

    @Test
    void aRetentionInDaysAndTheCapsAreAccepted() throws Exception {
        assertEquals(List.of(), problems("sluice:\n  engagement:\n    retention: 180d\n    max-recipients: 2000000\n"
                + "    max-deliveries: 100000\n"));
    }

    @Test
    void aZeroRetentionAndAZeroCapAreNamed() throws Exception {
        List<String> zero = problems("sluice:\n  engagement:\n    retention: 0d\n");
        assertTrue(zero.stream().anyMatch(p -> p.contains("sluice.engagement.retention")), zero.toString());
        List<String> cap = problems("sluice:\n  engagement:\n    max-recipients: 0\n");
        assertTrue(cap.stream().anyMatch(p -> p.contains("sluice.engagement.max-recipients")), cap.toString());
    }
}
