package io.sluice.dkim.bench;

import io.sluice.dkim.Algorithm;
import io.sluice.dkim.BodyHasher;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DkimSigner;
import io.sluice.dkim.KeyGenerator;
import io.sluice.dkim.SigningIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Signatures per second for whole messages ({@code signMessage}: body hash + header signature),
 * for the per-delivery path ({@code signHeaders}: stored bh + header block, what the daemon does
 * at dispatch), and the raw JCA/BC sign rate of the same key over a 32-byte digest
 * ({@code rawSign32}), all in one run so the ratio is meaningful.
 *
 * <p>Run (from the checkout root):
 * <pre>
 * mvn -q -pl dkim test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/dkim.cp
 * java -cp dkim/target/test-classes:dkim/target/classes:$(cat /tmp/dkim.cp) \
 *     io.sluice.dkim.bench.DkimSignBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 * Any JMH command-line option works; the benchmark selection defaults to this class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimSignBenchmark {

    @Param({"rsa2048", "rsa4096", "ed25519"})
    public String key;

    @Param({"2048", "102400"})
    public int size;

    private DkimSigner signer;
    private byte[] message;
    private byte[] headerBlock;
    private byte[] bodyHash;
    private Signature raw;
    private byte[] digest32;
    private final Instant now = Instant.ofEpochSecond(1_764_316_800L);

    @Setup
    public void setup() throws Exception {
        DkimKey k = switch (key) {
            case "rsa2048" -> KeyGenerator.rsa(2048);
            case "rsa4096" -> KeyGenerator.rsa(4096);
            default -> KeyGenerator.ed25519();
        };
        signer = new DkimSigner(SigningIdentity.of("example.test", "bench", k));
        String headers = """
                From: Sender <news@example.test>\r
                To: someone@example.net\r
                Subject: Your weekly digest\r
                Date: Fri, 28 Nov 2025 08:00:00 +0000\r
                Message-ID: <bench-1@example.test>\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=utf-8\r
                List-Unsubscribe: <https://example.test/u/abc>, <mailto:u-abc@example.test>\r
                List-Unsubscribe-Post: List-Unsubscribe=One-Click\r
                \r
                """;
        headerBlock = headers.getBytes(StandardCharsets.US_ASCII);
        byte[] line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = line[i % line.length];
        }
        message = new byte[headerBlock.length + size];
        System.arraycopy(headerBlock, 0, message, 0, headerBlock.length);
        System.arraycopy(body, 0, message, headerBlock.length, size);
        bodyHash = BodyHasher.hash(body, signer.identity().canon().body());

        // the raw rate: same key, same provider as DkimSigner, one reused Signature
        raw = k.algorithm() == Algorithm.ED25519_SHA256
                ? Signature.getInstance("Ed25519", new BouncyCastleProvider())
                : Signature.getInstance("SHA256withRSA");
        raw.initSign(k.privateKey());
        digest32 = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(message, 64));
    }

    @Benchmark
    public byte[] signMessage() {
        return signer.sign(message, now);
    }

    @Benchmark
    public String signHeaders() {
        return signer.sign(headerBlock, bodyHash, now);
    }

    @Benchmark
    public byte[] rawSign32() throws Exception {
        raw.update(digest32);
        return raw.sign();
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            b.include(DkimSignBenchmark.class.getName());
        }
        new Runner(b.build()).run();
    }
}
