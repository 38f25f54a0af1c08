package io.sluice.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where recovery sets aside records it cannot decode, so one bad record (a torn write, a flipped
 * bit, a bug in an older version) costs that record and not the whole spool. Each record's bytes
 * go to {@code <spool>/quarantine/<queue>-<index>.record} with the reason beside it in a
 * {@code .reason} file: an operator can inspect them, and nothing is deleted on their behalf.
 * Used by recovery only, on the opening thread.
 */
final class Quarantine {
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    private final Path dir;
    private final List<QuarantinedRecord> kept = new ArrayList<>();

    Quarantine(Path spoolDir) {
        this.dir = spoolDir.resolve("quarantine");
    }

    /** Sets a record aside. {@code raw} may be empty when the framing itself could not be read. */
    void keep(String queue, long index, byte[] raw, Throwable why) {
        String reason = why.getClass().getSimpleName() + (why.getMessage() == null ? "" : ": " + why.getMessage());
        String name = queue + "-" + Long.toHexString(index);
        Path file = dir.resolve(name + ".record");
        try {
            Files.createDirectories(dir);
            Files.write(file, raw);
            Files.writeString(dir.resolve(name + ".reason"), queue + " index " + index + " (0x"
                    + Long.toHexString(index) + "), " + raw.length + " bytes: " + reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // still start: the log line below carries what we know
            LOG.error("cannot write quarantined {} record {} to {}: {}", queue, index, file, e.toString());
        }
        LOG.error("spool recovery quarantined the {} record at index {} ({} bytes, kept in {}): {}; "
                + "recovery went on without it", queue, index, raw.length, file, reason);
        kept.add(new QuarantinedRecord(queue, index, reason, file));
    }

    List<QuarantinedRecord> kept() {
        return List.copyOf(kept);
    }
}
