package io.sluice.bench.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.bench.sink.SinkScript;
import io.sluice.bench.sink.SmtpSinkServer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SmtpInjectorTest {
    @Test
    void injectsOverStartTlsWithAuthAndCountsWhatTheSinkCounts() {
        try (SmtpSinkServer sink = new SmtpSinkServer("sink.test", SinkScript.parse(List.of("b.test:permfail=50")), null, true, 1)) {
            int port = sink.listen(List.of(new InetSocketAddress("127.0.0.1", 0))).get(0).getPort();
            InjectOptions o = new InjectOptions();
            new CommandLine(o).parseArgs("-n", "40", "-c", "3", "--starttls", "--auth", "user:secret",
                    "--domain", "a.test:1", "--domain", "b.test:1", "--messages-per-connection", "7");
            Injection injection = new Injection(o, "tls");
            injection.viaSmtp("127.0.0.1", port);
            InjectStats s = injection.stats();
            assertEquals(40, s.attempted.get());
            assertEquals(0, s.errors.get());
            assertEquals(10, s.permfailed.get()); // half of the 20 b.test recipients
            assertEquals(30, s.accepted.get());
            assertEquals(30, sink.counters().messages.sum());
            assertEquals(20, sink.counters().domain("a.test").accepted.sum());
            assertEquals(10, sink.counters().domain("b.test").accepted.sum());
        }
    }

    @Test
    void aYahooStyle421AtRcptCountsAsATemporaryRefusalNotAnError() {
        try (SmtpSinkServer sink = new SmtpSinkServer("sink.test", SinkScript.parse(List.of("yahoo.test:rate=2/s;provider=yahoo")),
                null, false, 1)) {
            int port = sink.listen(List.of(new InetSocketAddress("127.0.0.1", 0))).get(0).getPort();
            InjectOptions o = new InjectOptions();
            new CommandLine(o).parseArgs("-n", "10", "-c", "1", "--domain", "yahoo.test");
            Injection injection = new Injection(o, "yahoo");
            injection.viaSmtp("127.0.0.1", port);
            InjectStats s = injection.stats();
            assertEquals(10, s.attempted.get());
            assertEquals(0, s.errors.get());
            assertEquals(10, s.accepted.get() + s.tempfailed.get());
            assertEquals(s.accepted.get(), sink.counters().messages.sum());
            assertEquals(s.tempfailed.get(), sink.counters().domain("yahoo.test").rateLimited.sum());
        }
    }
}
