package io.sluice.bench.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks values in proportion to integer weights, deterministically: the n-th pick walks a fixed
 * cycle of length sum(weights), spread like Bresenham so each stretch of picks has the mix. A
 * run of 100 picks of {@code gmail.test:60, yahoo.test:40} gives exactly 60 and 40.
 */
public final class WeightedChoice<T> {
    private final List<T> cycle;

    private WeightedChoice(List<T> cycle) {
        this.cycle = cycle;
    }

    public static <T> WeightedChoice<T> of(List<T> values, List<Integer> weights) {
        if (values.isEmpty() || values.size() != weights.size()) {
            throw new IllegalArgumentException("need one weight per value");
        }
        long total = 0;
        for (int w : weights) {
            if (w < 0) {
                throw new IllegalArgumentException("weights must not be negative");
            }
            total += w;
        }
        if (total <= 0 || total > 100_000) {
            throw new IllegalArgumentException("weights must add up to between 1 and 100000");
        }
        // Smooth weighted round robin (as nginx does): interleaves instead of runs of one value.
        int n = values.size();
        long[] current = new long[n];
        List<T> cycle = new ArrayList<>((int) total);
        for (long i = 0; i < total; i++) {
            int best = -1;
            for (int k = 0; k < n; k++) {
                current[k] += weights.get(k);
                if (best < 0 || current[k] > current[best]) {
                    best = k;
                }
            }
            current[best] -= total;
            cycle.add(values.get(best));
        }
        return new WeightedChoice<>(cycle);
    }

    public T pick(long n) {
        return cycle.get((int) (n % cycle.size()));
    }
}
