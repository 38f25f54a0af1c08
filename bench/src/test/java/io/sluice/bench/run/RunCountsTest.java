package io.sluice.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.bench.SluiceBench;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The reported counts and histograms of a run agree with what the sink counted. */
class RunCountsTest {
    @TempDir
    Path tmp;

    @Test
    void reportedCountsMatchTheSinksCounts() throws Exception {
        CommandLine cl = SluiceBench.commandLine();
        int status = cl.execute("run", "--direct", "-n", "1000", "-c", "4", "--size", "2KB:3,20KB:1",
                "--domain", "gmail.test:60", "--domain", "yahoo.test:40",
                "--sink-script", "gmail.test:tempfail=10;permfail=5", "--sink-script", "yahoo.test:permfail=20",
                "--header", "X-Campaign: spring", "--out", tmp.toString(), "--name", "counts");
        assertEquals(0, status);
        RunResult r = ((RunCommand) cl.getSubcommands().get("run").getCommand()).result();
        // 600 gmail: 60 tempfail, 30 permfail; 400 yahoo: 80 permfail (deterministic shares)
        assertEquals(1000, r.attempted());
        assertEquals(60, r.tempfailed());
        assertEquals(110, r.permfailed());
        assertEquals(830, r.accepted());
        assertEquals(0, r.errors());
        assertEquals(r.accepted(), r.delivered());
        assertEquals(r.accepted(), r.sinkMessages());
        assertEquals(0, r.duplicates());
        assertEquals(r.accepted(), r.injectToAccepted().getTotalCount());
        assertEquals(r.delivered(), r.endToEnd().getTotalCount());
        long perSecond = 0;
        for (long v : r.acceptedPerSecond()) {
            perSecond += v;
        }
        assertEquals(r.accepted(), perSecond);
        assertTrue(r.line().contains(" accepted=830 "), r.line());
        assertTrue(Files.readString(tmp.resolve("report.html")).contains("<svg"));
        assertTrue(Files.readString(tmp.resolve("end-to-end.hgrm")).contains("#[Mean"));
        assertTrue(Files.readString(tmp.resolve("summary.txt")).startsWith("RESULT name=counts"));
    }

    @Test
    void aRatedRunSendsTheCountAndRecordsEveryLatency() {
        CommandLine cl = SluiceBench.commandLine();
        int status = cl.execute("run", "--direct", "-n", "200", "-c", "2", "--rate", "400", "--out", tmp.toString());
        assertEquals(0, status);
        RunResult r = ((RunCommand) cl.getSubcommands().get("run").getCommand()).result();
        assertEquals(200, r.accepted());
        assertEquals(200, r.delivered());
        assertEquals(200, r.acceptedToDelivered().getTotalCount());
    }
}
