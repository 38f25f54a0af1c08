package io.sluice.bench.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses sizes and size distributions. A size is bytes with an optional KB/MB suffix (binary).
 * A distribution is one size ({@code 2KB}), or weighted sizes ({@code 2KB:70,20KB:25,100KB:5}).
 */
public final class Sizes {
    private Sizes() {
    }

    public static int parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("KB") || t.endsWith("K")) {
            mult = 1024;
            t = t.substring(0, t.length() - (t.endsWith("KB") ? 2 : 1));
        } else if (t.endsWith("MB") || t.endsWith("M")) {
            mult = 1024 * 1024;
            t = t.substring(0, t.length() - (t.endsWith("MB") ? 2 : 1));
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long v;
        try {
            v = Long.parseLong(t.trim()) * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 2KB, 100KB, 1MB)");
        }
        if (v < 256 || v > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("size " + text + " out of range 256B..64MB");
        }
        return (int) v;
    }

    public static WeightedChoice<Integer> distribution(String text) {
        List<Integer> sizes = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] sw = part.split(":");
            if (sw.length > 2) {
                throw new IllegalArgumentException("not a size distribution: '" + text + "' (e.g. 2KB:70,20KB:30)");
            }
            sizes.add(parse(sw[0]));
            weights.add(sw.length == 2 ? Integer.parseInt(sw[1].trim()) : 1);
        }
        return WeightedChoice.of(sizes, weights);
    }
}
