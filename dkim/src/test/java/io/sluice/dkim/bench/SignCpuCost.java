package io.sluice.dkim.bench;

import io.sluice.dkim.BodyHasher;
import io.sluice.dkim.Canonicalization;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DkimSigner;
import io.sluice.dkim.KeyGenerator;
import io.sluice.dkim.SigningIdentity;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;

/**
 * CPU time (not wall time) of one raw RSA-2048 signature and of one per-delivery DKIM signature,
 * measured on one thread in alternating rounds, so both see the same machine. JMH's figures are
 * wall time per operation: on a shared machine they include the time other processes held the
 * core, while the daemon's figure (bench/scripts) is CPU time; this puts the raw signature in the
 * daemon's unit.
 *
 * <p>Run (from the checkout root; the classpath as for {@link DkimSignBenchmark}):
 * <pre>
 * java -cp dkim/target/test-classes:dkim/target/classes:$(cat /tmp/dkim.cp) io.sluice.dkim.bench.SignCpuCost [rounds]
 * </pre>
 * Last line: {@code SIGNCPU raw_us=… per_delivery_us=… ratio=…} (medians of the rounds).
 */
public final class SignCpuCost {
    private static final int OPS_PER_ROUND = 200;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        DkimKey key = KeyGenerator.rsa(2048);
        DkimSigner signer = new DkimSigner(SigningIdentity.of("bench.test", "bench", key));
        // the header section the bench tool's messages carry when the daemon signs them
        byte[] header = ("Received: from bench.localhost ([127.0.0.1])\r\n\tby localhost (Sluice) with ESMTP\r\n"
                + "\tfor <user0@sink.test>; Mon, 7 Dec 2026 18:01:06 +0000\r\n"
                + "From: Sluice Bench <bench@bench.test>\r\nTo: <user0@sink.test>\r\nSubject: bench rc282bdfb-0\r\n"
                + "Date: Mon, 7 Dec 2026 18:01:06 GMT\r\nMessage-ID: <rc282bdfb-0@bench.sluice>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\nX-Sluice-Bench-Id: rc282bdfb-0\r\n"
                + "X-Sluice-Bench-Sent: 1796666466455138\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bh = BodyHasher.hash("body\r\n".getBytes(StandardCharsets.US_ASCII), Canonicalization.RELAXED);
        Signature raw = Signature.getInstance("SHA256withRSA");
        raw.initSign(key.privateKey());
        byte[] digest32 = MessageDigest.getInstance("SHA-256").digest(header);
        Instant now = Instant.ofEpochSecond(1_796_666_466L);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();

        long[] rawNs = new long[rounds];
        long[] perDeliveryNs = new long[rounds];
        long sink = 0;
        for (int r = -3; r < rounds; r++) { // three rounds of warm-up for the JIT
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS_PER_ROUND; i++) {
                raw.update(digest32);
                sink += raw.sign()[0];
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS_PER_ROUND; i++) {
                sink += signer.sign(header, bh, now).length();
            }
            long t2 = mx.getCurrentThreadCpuTime();
            if (r >= 0) {
                rawNs[r] = (t1 - t0) / OPS_PER_ROUND;
                perDeliveryNs[r] = (t2 - t1) / OPS_PER_ROUND;
            }
        }
        double rawUs = median(rawNs) / 1000.0;
        double perDeliveryUs = median(perDeliveryNs) / 1000.0;
        System.out.printf("raw rounds (us): %s%nper-delivery rounds (us): %s%n",
                Arrays.toString(Arrays.stream(rawNs).map(n -> n / 1000).toArray()),
                Arrays.toString(Arrays.stream(perDeliveryNs).map(n -> n / 1000).toArray()));
        System.out.printf("SIGNCPU raw_us=%.1f per_delivery_us=%.1f ratio=%.3f (ignore: %d)%n",
                rawUs, perDeliveryUs, perDeliveryUs / rawUs, sink & 1);
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
