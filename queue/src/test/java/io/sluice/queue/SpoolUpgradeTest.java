package io.sluice.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operators upgrade with mail queued: a spool written by an earlier build must be read by this
 * one, every live delivery recovered with its attempts, envelope and body, and new mail appended
 * beside it. The fixture under {@code upgrade/} was written by {@link UpgradeWorkload#main} on the
 * build its name gives and is never rewritten; a change of the record layout that cannot read it
 * fails here.
 */
class SpoolUpgradeTest {
    private static final String[] FIXTURES = {"spool-1829df6.zip"};

    @TempDir
    Path dir;

    @Test
    void aSpoolWrittenByTheEarlierBuildIsRecoveredWhole() throws Exception {
        for (String fixture : FIXTURES) {
            Path spoolDir = unzip(fixture, dir.resolve(fixture));
            List<String> ids = Files.readAllLines(spoolDir.resolve("ids.txt"));
            try (Spool spool = Spool.open(settings(spoolDir))) {
                assertTrue(spool.quarantined().isEmpty(), fixture + ": nothing quarantined");
                assertLive(fixture, spool, ids);
                MessageId fresh = spool.accept(UpgradeWorkload.messages().get(0).envelope(99), "new mail\r\n".getBytes());
                assertArrayEquals("new mail\r\n".getBytes(), spool.read(fresh).body());
                spool.reclaim(); // copies the old cycle's live messages forward in today's layout
                assertLive(fixture, spool, ids);
            }
            try (Spool spool = Spool.open(settings(spoolDir))) { // and once more after that rewrite
                assertLive(fixture, spool, ids);
            }
        }
    }

    private static SpoolSettings settings(Path spoolDir) {
        return new SpoolSettings(spoolDir, Durability.FSYNC, SpoolSettings.DEFAULT_MAX_MESSAGE_BYTES, 0, "HOURLY",
                SpoolProbe.NONE).withReclaimInterval(Duration.ZERO);
    }

    /** Every delivery of the workload without a final outcome is live, as journaled, with its message readable. */
    private static void assertLive(String fixture, Spool spool, List<String> ids) throws SpoolException {
        List<UpgradeWorkload.Message> messages = UpgradeWorkload.messages();
        Map<List<Integer>, List<Outcome>> outcomes = UpgradeWorkload.outcomes();
        Map<DeliveryId, LiveDelivery> live = new HashMap<>();
        for (LiveDelivery d : spool.recovered()) {
            live.put(d.id(), d);
        }
        List<DeliveryId> expected = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            UpgradeWorkload.Message m = messages.get(i);
            MessageId id = new MessageId(ids.get(i));
            for (int r = 0; r < m.recipients().size(); r++) {
                List<Outcome> journal = outcomes.getOrDefault(List.of(i, r), List.of());
                if (!journal.isEmpty() && journal.get(journal.size() - 1).isFinal()) {
                    continue;
                }
                DeliveryId did = new DeliveryId(id, r);
                expected.add(did);
                LiveDelivery d = live.get(did);
                String where = fixture + " message " + i + " recipient " + r;
                assertNotNull(d, where + " is live");
                assertEquals(m.recipients().get(r), d.recipient(), where);
                assertEquals(m.sender(), d.sender(), where);
                assertEquals(UpgradeWorkload.T.plusSeconds(i), d.receivedAt(), where);
                assertEquals(m.attributes(), d.attributes(), where);
                assertEquals(journal.size(), d.attempts(), where);
                assertEquals(journal.isEmpty() ? null : ((Outcome.Deferred) journal.get(journal.size() - 1)).nextAttempt(),
                        d.nextAttemptAt(), where);
                StoredMessage stored = spool.read(id);
                assertArrayEquals(m.body(), stored.body(), where);
                assertEquals(m.envelope(i), stored.envelope(), where);
            }
        }
        assertEquals(expected.size(), live.keySet().stream().filter(d -> ids.contains(d.message().value())).count(),
                fixture + ": no delivery live that the workload finished");
    }

    private static Path unzip(String fixture, Path into) throws IOException {
        Files.createDirectories(into);
        try (InputStream raw = SpoolUpgradeTest.class.getResourceAsStream("upgrade/" + fixture)) {
            assertNotNull(raw, "fixture " + fixture + " on the test class path");
            try (ZipInputStream zip = new ZipInputStream(raw)) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    Path target = into.resolve(e.getName()).normalize();
                    assertTrue(target.startsWith(into), "entry inside the fixture: " + e.getName());
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(zip, target);
                    }
                }
            }
        }
        // the cycle files are kept cut after their last written byte; they get their length back
        // (sparse) so Chronicle finds them as it left them
        for (String line : Files.readAllLines(into.resolve("lengths.tsv"))) {
            String[] f = line.split("\t");
            try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(into.resolve(f[0]).toFile(), "rw")) {
                file.setLength(Long.parseLong(f[1]));
            }
        }
        return into;
    }
}
