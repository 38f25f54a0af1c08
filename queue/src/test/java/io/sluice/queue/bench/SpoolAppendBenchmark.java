package io.sluice.queue.bench;

import io.sluice.queue.Durability;
import io.sluice.queue.Envelope;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolException;
import io.sluice.queue.SpoolSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Accept throughput, several threads accepting at once, in both durability modes.
 * Run (after {@code mvn -pl queue test-compile} and
 * {@code mvn -pl queue dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test}):
 * <pre>
 * java -cp queue/target/test-classes:queue/target/classes:$(cat queue/target/cp.txt) \
 *      io.sluice.queue.bench.SpoolAppendBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpoolAppendBenchmark {
    static final String CHRONICLE_FLAGS = "--add-opens=java.base/java.lang=ALL-UNNAMED "
            + "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED "
            + "--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
            + "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED "
            + "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=java.base/jdk.internal.util=ALL-UNNAMED "
            + "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED -Dchronicle.analytics.disable=true";

    @Param({"MMAP", "FSYNC"})
    public Durability durability;

    @Param({"2048", "10240"})
    public int bodyBytes;

    private Path dir;
    private Spool spool;
    private byte[] body;
    private Envelope envelope;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("spool-bench");
        spool = Spool.open(SpoolSettings.defaults(dir).withDurability(durability).withMaxMessageBytes(1 << 20)
                .withMinFreeBytes(256L << 20).withReclaimInterval(Duration.ZERO));
        body = new byte[bodyBytes];
        envelope = new Envelope("bench@example.test", List.of("rcpt@example.test"), Instant.now(),
                Map.of("tenant", "bench"));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        spool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Object accept() throws SpoolException {
        return spool.accept(envelope, body);
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder()
                .include(SpoolAppendBenchmark.class.getSimpleName())
                .threads(Integer.getInteger("threads", 8))
                .forks(1)
                .jvmArgsAppend(CHRONICLE_FLAGS.split(" "))
                .warmupIterations(Integer.getInteger("warmups", 1)).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(3))
                .measurementIterations(Integer.getInteger("iterations", 2))
                .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(5))
                .build()).run();
    }
}
