package io.sluice.daemon.egress.sources;

import java.util.List;

/**
 * Weighted sources. {@link #order(long)} gives the sources to try for one delivery, starting at
 * a position drawn by weight (smooth round-robin over {@code turn}), so traffic spreads by weight
 * and falls to the others when the first cannot take it (warm-up spent, suspended, full).
 */
public record Pool(String name, List<Source> sources, List<Integer> weights) {
    public Pool {
        sources = List.copyOf(sources);
        weights = List.copyOf(weights);
        if (sources.isEmpty() || sources.size() != weights.size()) {
            throw new IllegalArgumentException("a pool needs sources with weights");
        }
    }

    public int totalWeight() {
        return weights.stream().mapToInt(Integer::intValue).sum();
    }

    /** The sources in the order to try for turn number {@code turn}. */
    public List<Source> order(long turn) {
        int n = sources.size();
        if (n == 1) {
            return sources;
        }
        long slot = Math.floorMod(turn, (long) totalWeight());
        int first = 0;
        for (int i = 0; i < n; i++) {
            slot -= weights.get(i);
            if (slot < 0) {
                first = i;
                break;
            }
        }
        Source[] out = new Source[n];
        for (int i = 0; i < n; i++) {
            out[i] = sources.get((first + i) % n);
        }
        return List.of(out);
    }
}
