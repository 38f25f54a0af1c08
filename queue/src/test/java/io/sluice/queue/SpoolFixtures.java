package io.sluice.queue;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

final class SpoolFixtures {
    private SpoolFixtures() {}

    static SpoolSettings settings(Path dir, Durability d) {
        return new SpoolSettings(dir, d, 1 << 20, 1 << 20, "HOURLY", SpoolProbe.NONE)
                .withReclaimInterval(Duration.ZERO); // tests reclaim by hand
    }

    static Envelope envelope(String... recipients) {
        return new Envelope("sender@example.test", List.of(recipients), Instant.parse("2025-01-02T03:04:05.123456789Z"),
                Map.of("tenant", "acme"));
    }

    static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Counts documents in a Chronicle queue directory, read independently of the spool. */
    static long documents(Path queueDir, String rollCycle) {
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(queueDir)
                .rollCycle(RollCycleNames.resolve(rollCycle)).readOnly(false).build();
             ExcerptTailer t = q.createTailer()) {
            long n = 0;
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return n;
                    }
                    n++;
                }
            }
        }
    }
}
