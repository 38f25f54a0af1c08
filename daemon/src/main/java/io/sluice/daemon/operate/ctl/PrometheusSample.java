package io.sluice.daemon.operate.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /prometheus} (text format 0.0.4): every series with its labels and value. */
record PrometheusSample(long atNanos, List<Series> series) {
    record Series(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static PrometheusSample parse(String text, long atNanos) {
        List<Series> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            try {
                out.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
            } catch (NumberFormatException ignored) {
                // NaN spelled oddly: skip
            }
        }
        return new PrometheusSample(atNanos, out);
    }

    /** Sum of a metric's series grouped by a key made from the labels. */
    Map<String, Double> sum(String name, Function<Map<String, String>, String> key) {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (Series s : series) {
            if (s.name().equals(name)) {
                sums.merge(key.apply(s.labels()), s.value(), Double::sum);
            }
        }
        return sums;
    }

    double total(String name) {
        return sum(name, l -> "").values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
