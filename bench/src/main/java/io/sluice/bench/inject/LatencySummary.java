package io.sluice.bench.inject;

import org.HdrHistogram.Histogram;

/** Percentiles of a microsecond histogram as milliseconds, for summary lines. */
public final class LatencySummary {
    private LatencySummary() {
    }

    public static String of(String prefix, Histogram h) {
        if (h.getTotalCount() == 0) {
            return prefix + "_n=0";
        }
        return String.format("%s_n=%d %s_p50_ms=%.2f %s_p90_ms=%.2f %s_p99_ms=%.2f %s_p999_ms=%.2f %s_max_ms=%.2f",
                prefix, h.getTotalCount(), prefix, ms(h, 50), prefix, ms(h, 90), prefix, ms(h, 99), prefix, ms(h, 99.9),
                prefix, h.getMaxValue() / 1000.0);
    }

    public static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
