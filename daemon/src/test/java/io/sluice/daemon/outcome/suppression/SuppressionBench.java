package io.sluice.daemon.outcome.suppression;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Plain harness for docs/benchmarks.md "Suppression": fills a store with N entries (default 10M),
 * reopens it (the start-up rebuild), and measures heap used by the index and lookup latency for
 * present and absent addresses. Not a test; run with the command in docs/benchmarks.md.
 */
public final class SuppressionBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("suppression-bench");
        Clock clock = Clock.systemUTC();
        long t0 = System.nanoTime();
        try (SuppressionStore s = SuppressionStore.open(dir, clock, n, null)) {
            for (int i = 0; i < n; i++) {
                s.add(i % 10 == 0 ? "acme" : "default", "user" + i + "@domain" + (i % 5000) + ".test",
                        SuppressionReason.HARD_BOUNCE, "import", null, null);
            }
            s.sync();
        }
        System.out.printf("fill: %d entries in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        System.gc();
        long before = used();
        long r0 = System.nanoTime();
        try (SuppressionStore s = SuppressionStore.open(dir, clock, n, null)) {
            long rebuild = (System.nanoTime() - r0) / 1_000_000;
            System.gc();
            long after = used();
            System.out.printf("rebuild at open: %d ms for %d entries; index arrays: %d MB (heap used after GC: %d MB)%n",
                    rebuild, s.size(), s.indexBytes() >> 20, after >> 20);
            String[] present = new String[1 << 16];
            String[] absent = new String[1 << 16];
            java.util.Random r = new java.util.Random(42);
            for (int i = 0; i < present.length; i++) {
                int k = r.nextInt(n);
                present[i] = "user" + k + "@domain" + (k % 5000) + ".test";
                absent[i] = "nobody" + k + "@elsewhere" + (k % 5000) + ".test";
            }
            for (int round = 0; round < 3; round++) {
                measure(s, present, round == 2 ? "present, address entries only (1 probe)" : null);
                measure(s, absent, round == 2 ? "absent, address entries only (1 probe)" : null);
            }
            // one domain and one global entry switch on the other probes: address, domain, global x2
            s.add("default", "@blocked.test", SuppressionReason.MANUAL, "bench", null, null);
            s.add(SuppressionStore.GLOBAL, "trap@blocked.test", SuppressionReason.MANUAL, "bench", null, null);
            for (int round = 0; round < 3; round++) {
                measure(s, present, round == 2 ? "present, with domain+global lists (hit on 1st probe)" : null);
                measure(s, absent, round == 2 ? "absent, with domain+global lists (4 probes)" : null);
            }
        }
    }

    private static void measure(SuppressionStore s, String[] keys, String label) {
        int ops = 5_000_000;
        int hits = 0;
        long t = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            if (s.isSuppressed("default", keys[i & (keys.length - 1)])) {
                hits++;
            }
        }
        long ns = System.nanoTime() - t;
        if (label != null) {
            System.out.printf("isSuppressed %s: %.0f ns/op mean over %d ops (hits %d)%n", label, (double) ns / ops, ops, hits);
        }
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
