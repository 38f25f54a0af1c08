package io.sluice.daemon.outcome.rates;

import java.time.Duration;
import java.util.Locale;

/** The sliding windows rates are read over. */
public enum RateWindow {
    M15(Duration.ofMinutes(15), "15m"),
    H1(Duration.ofHours(1), "1h"),
    H24(Duration.ofHours(24), "24h");

    private final Duration length;
    private final String label;

    RateWindow(Duration length, String label) {
        this.length = length;
        this.label = label;
    }

    public Duration length() {
        return length;
    }

    public String label() {
        return label;
    }

    /** Parses {@code 15m}, {@code 1h} or {@code 24h}; null otherwise. */
    public static RateWindow fromLabel(String s) {
        String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        for (RateWindow w : values()) {
            if (w.label.equals(t)) {
                return w;
            }
        }
        return null;
    }
}
