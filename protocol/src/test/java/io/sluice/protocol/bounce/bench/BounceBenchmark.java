package io.sluice.protocol.bounce.bench;

import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.BounceParser;
import io.sluice.protocol.bounce.BounceReport;
import io.sluice.protocol.bounce.BounceRules;
import io.sluice.protocol.bounce.Classification;
import io.sluice.protocol.bounce.FailedReply;
import io.sluice.protocol.bounce.SmtpCommand;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What a bounce costs beyond {@link ClassifierBenchmark} (a bare reply, block lists among them):
 * classifying one failed recipient with its context (command, remote host: the provider rules are tried), parsing and classifying a whole DSN, and loading the bundled rules
 * (parse + matcher build, as at daemon start). Run briefly with
 * {@code java -cp ... org.openjdk.jmh.Main BounceBenchmark -f 1 -wi 2 -i 3} (see docs/bounces.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BounceBenchmark {

    private static final byte[] DSN = ("""
            From: MAILER-DAEMON@mail.sender.example
            To: bounces@sender.example
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

            --b1
            Content-Type: text/plain

            <dave@example.net>: host mx.example.net[192.0.2.7] said: 550 5.1.1 <dave@example.net>:
                Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)

            --b1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.sender.example

            Final-Recipient: rfc822; dave@example.net
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mx.example.net
            Diagnostic-Code: smtp; 550 5.1.1 <dave@example.net>: Recipient address rejected: User unknown in virtual mailbox table

            --b1
            Content-Type: text/rfc822-headers

            From: news@sender.example
            To: dave@example.net
            Message-ID: <m1@sender.example>
            Subject: Hello

            --b1--
            """).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);

    private final BounceClassifier classifier = BounceClassifier.bundled();
    private final BounceParser parser = new BounceParser(classifier);
    private final FailedReply gmail = new FailedReply(550, "5.1.1",
            "5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address",
            SmtpCommand.RCPT, "gmail-smtp-in.l.google.com", false);

    @Benchmark
    public Classification classifyProviderReply() {
        return classifier.classify(gmail);
    }

    @Benchmark
    public BounceReport parseAndClassifyDsn() {
        return parser.parse(DSN);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 3)
    public BounceClassifier loadRules() {
        return BounceClassifier.fromRules(BounceRules.bundled());
    }
}
