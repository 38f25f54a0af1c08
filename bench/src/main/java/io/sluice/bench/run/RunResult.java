package io.sluice.bench.run;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one {@code run}: counts on both sides, rates, latencies (microsecond
 * histograms) and the daemon's cost. Rates: accepted/s over the injection (first send to last
 * 250), delivered/s end to end (first send to the last arrival at the sink).
 */
public record RunResult(String name, long attempted, long accepted, long tempfailed, long permfailed, long errors,
        long delivered, long sinkMessages, long duplicates, double injectSeconds, double endToEndSeconds,
        Histogram injectToAccepted, Histogram acceptedToDelivered, Histogram endToEnd,
        double daemonCpuSeconds, double daemonPeakRssMb, double benchCpuSeconds, double othersCpuSeconds,
        long[] acceptedPerSecond, long[] deliveredPerSecond) {

    public double acceptedPerSec() {
        return accepted / Math.max(1e-9, injectSeconds);
    }

    public double deliveredPerSec() {
        return delivered / Math.max(1e-9, endToEndSeconds);
    }

    /** CPU milliseconds the daemon spent per delivered message, or -1 without a daemon. */
    public double daemonCpuMsPerMessage() {
        return daemonCpuSeconds < 0 || delivered == 0 ? -1 : 1000 * daemonCpuSeconds / delivered;
    }

    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("attempted", Long.toString(attempted));
        f.put("accepted", Long.toString(accepted));
        f.put("tempfailed", Long.toString(tempfailed));
        f.put("permfailed", Long.toString(permfailed));
        f.put("errors", Long.toString(errors));
        f.put("delivered", Long.toString(delivered));
        f.put("sink_messages", Long.toString(sinkMessages));
        f.put("duplicates", Long.toString(duplicates));
        f.put("accepted_per_s", fmt("%.0f", acceptedPerSec()));
        f.put("delivered_per_s", fmt("%.0f", deliveredPerSec()));
        f.put("inject_secs", fmt("%.2f", injectSeconds));
        f.put("e2e_secs", fmt("%.2f", endToEndSeconds));
        put(f, "inject_to_250", injectToAccepted);
        put(f, "250_to_delivered", acceptedToDelivered);
        put(f, "e2e", endToEnd);
        f.put("daemon_cpu_s", fmt("%.2f", daemonCpuSeconds));
        f.put("daemon_cpu_ms_per_msg", fmt("%.3f", daemonCpuMsPerMessage()));
        f.put("daemon_peak_rss_mb", fmt("%.0f", daemonPeakRssMb));
        f.put("bench_cpu_ms_per_msg", fmt("%.3f", delivered == 0 ? -1 : 1000 * benchCpuSeconds / delivered));
        f.put("others_cpu_s", fmt("%.1f", othersCpuSeconds));
        return f;
    }

    private static void put(Map<String, String> f, String prefix, Histogram h) {
        for (double p : new double[] {50, 90, 99, 99.9}) {
            String k = prefix + "_p" + (p == 99.9 ? "999" : Integer.toString((int) p)) + "_ms";
            f.put(k, h.getTotalCount() == 0 ? "NA" : fmt("%.2f", h.getValueAtPercentile(p) / 1000.0));
        }
        f.put(prefix + "_max_ms", h.getTotalCount() == 0 ? "NA" : fmt("%.2f", h.getMaxValue() / 1000.0));
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }

    /** One line, key=value, for scripts. */
    public String line() {
        StringBuilder b = new StringBuilder("RESULT");
        fields().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }
}
