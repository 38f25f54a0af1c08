package io.sluice.protocol.bounce.bench;

import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.Classification;
import io.sluice.protocol.smtp.SmtpReply;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.concurrent.TimeUnit;

/**
 * Cost of classifying one synchronous SMTP reply with the bundled rules. Run:
 * <pre>
 * mvn -B -q -pl protocol test-compile
 * java -cp "$(cat cp.txt):protocol/target/classes:protocol/target/test-classes" \
 *     io.sluice.protocol.bounce.bench.ClassifierBenchmark
 * </pre>
 * (cp.txt from {@code mvn -pl protocol dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassifierBenchmark {

    @Param({
            "550 5.1.1 <someone@example.com>: Recipient address rejected: User unknown in local recipient table",
            "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1",
            "451 4.3.0 Temporary server error. Please try again later"
    })
    public String line;

    private SmtpReply reply;
    private final BounceClassifier classifier = BounceClassifier.bundled();

    @Setup
    public void setUp() {
        reply = SmtpReply.parse(line);
    }

    @Benchmark
    public Classification classify() {
        return classifier.classify(reply);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(ClassifierBenchmark.class.getSimpleName()).build()).run();
    }
}
