package io.sluice.bench.measure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A self-contained HTML page: the summary as a table, a latency-by-percentile plot (log scale
 * of 1/(1-p), as HdrHistogram's plotter draws it) and a messages-per-second plot, both inline
 * SVG. No scripts, no fonts, nothing fetched at view time.
 */
public final class HtmlReport {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
    private static final int W = 760, H = 340, L = 60, R = 20, T = 20, B = 40;

    private HtmlReport() {
    }

    public static String render(String title, Map<String, String> summary, Map<String, Histogram> latencies,
            Map<String, long[]> perSecond) {
        StringBuilder b = new StringBuilder(32_768);
        b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}svg{border:1px solid #ddd}"
                        + "</style></head><body><h1>").append(esc(title)).append("</h1><table>");
        summary.forEach((k, v) -> b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>"));
        b.append("</table><h2>Latency by percentile (ms)</h2>").append(percentilePlot(latencies));
        b.append("<h2>Messages per second</h2>").append(ratePlot(perSecond));
        return b.append("</body></html>\n").toString();
    }

    static String percentilePlot(Map<String, Histogram> latencies) {
        double maxX = 5; // 99.999%
        double maxY = 0.001;
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (Map.Entry<String, Histogram> e : latencies.entrySet()) {
            Histogram h = e.getValue();
            if (h.getTotalCount() == 0) {
                continue;
            }
            double[][] pts = new double[51][2];
            for (int k = 0; k <= 50; k++) {
                double x = k / 10.0;
                double p = 100.0 * (1 - Math.pow(10, -x));
                double y = h.getValueAtPercentile(p) / 1000.0;
                pts[k][0] = x;
                pts[k][1] = y;
                maxY = Math.max(maxY, y);
            }
            series.put(e.getKey(), pts);
        }
        StringBuilder s = svgStart();
        axes(s, maxY, "ms");
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int i = 0; i <= 5; i++) {
            double x = L + (W - L - R) * i / maxX;
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
                    x, H - B + 15, labels[i]));
        }
        plotLines(s, series, maxX, maxY);
        return s.append("</svg>").toString();
    }

    static String ratePlot(Map<String, long[]> perSecond) {
        double maxX = 1;
        double maxY = 1;
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : perSecond.entrySet()) {
            long[] v = e.getValue();
            double[][] pts = new double[v.length][2];
            for (int i = 0; i < v.length; i++) {
                pts[i][0] = i + 0.5;
                pts[i][1] = v[i];
                maxY = Math.max(maxY, v[i]);
            }
            maxX = Math.max(maxX, v.length);
            series.put(e.getKey(), pts);
        }
        StringBuilder s = svgStart();
        axes(s, maxY, "msgs/s");
        for (int i = 0; i <= 5; i++) {
            double x = L + (W - L - R) * i / 5.0;
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.0fs</text>",
                    x, H - B + 15, maxX * i / 5));
        }
        plotLines(s, series, maxX, maxY);
        return s.append("</svg>").toString();
    }

    private static StringBuilder svgStart() {
        return new StringBuilder(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", W, H));
    }

    private static void axes(StringBuilder s, double maxY, String unit) {
        s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>", L, H - B, W - R, H - B));
        s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>", L, T, L, H - B));
        for (int i = 0; i <= 4; i++) {
            double y = H - B - (H - T - B) * i / 4.0;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                    L - 4, y + 4, num(maxY * i / 4)));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.0f\" x2=\"%d\" y2=\"%.0f\" stroke=\"#eee\"/>", L, y, W - R, y));
        }
        s.append(String.format("<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>", T - 6, unit));
    }

    private static void plotLines(StringBuilder s, Map<String, double[][]> series, double maxX, double maxY) {
        int c = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            s.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(color).append("\" points=\"");
            for (double[] p : e.getValue()) {
                double x = L + (W - L - R) * p[0] / maxX;
                double y = H - B - (H - T - B) * p[1] / maxY;
                s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append("\"/>");
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>",
                    L + 10, T + 14 + 14 * c, color, esc(e.getKey())));
            c++;
        }
    }

    private static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
