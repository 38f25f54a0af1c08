package io.sluice.daemon.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Egress files several integration tests use. */
final class EgressFiles {
    private EgressFiles() {
    }

    /**
     * {@code dir/egress.yml}: one source {@code warm} bound to {@code address}, on day 1 of the
     * shipped warm-up schedule (today, UTC), the only source of pool {@code main}.
     */
    static Path oneWarmingSource(Path dir, String address) throws IOException {
        Path egress = dir.resolve("egress.yml");
        Files.writeString(egress, """
                sources:
                  warm: {address: %s, warmup: {schedule: default, start: %s}}
                pools:
                  main: {sources: {warm: 1}}
                """.formatted(address, LocalDate.now(ZoneOffset.UTC)));
        return egress;
    }
}
