package io.sluice.daemon.egress.shaping;

import java.time.Duration;
import java.util.Locale;

/**
 * A rate written {@code N/s}, {@code N/m}, {@code N/h} or {@code N/d} ("100/m" = a hundred a
 * minute). {@link #UNLIMITED} when absent.
 */
public record Rate(long count, Duration per) {
    public static final Rate UNLIMITED = new Rate(Long.MAX_VALUE, Duration.ofSeconds(1));

    public Rate {
        if (count <= 0) {
            throw new IllegalArgumentException("rate count must be positive");
        }
    }

    public boolean unlimited() {
        return count == Long.MAX_VALUE;
    }

    /** Nanoseconds between two events at this rate (the GCRA emission interval). */
    public long intervalNanos() {
        return unlimited() ? 0 : Math.max(1, per.toNanos() / count);
    }

    /** This rate multiplied by {@code factor} (adaptive backoff lowers a rate this way); at least 1 per period. */
    public Rate scaled(double factor) {
        if (unlimited()) {
            return this;
        }
        return new Rate(Math.max(1, Math.round(count * factor)), per);
    }

    public static Rate parse(String text) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("unlimited")) {
            return UNLIMITED;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        if (slash <= 0 || slash == t.length() - 1) {
            throw new IllegalArgumentException("rate must look like N/s, N/m, N/h or N/d: " + text);
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, slash).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate count is not a number: " + text);
        }
        Duration per = switch (t.substring(slash + 1).strip()) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> throw new IllegalArgumentException("rate unit must be s, m, h or d: " + text);
        };
        return new Rate(n, per);
    }

    @Override
    public String toString() {
        if (unlimited()) {
            return "unlimited";
        }
        String unit = per.equals(Duration.ofSeconds(1)) ? "s" : per.equals(Duration.ofMinutes(1)) ? "m"
                : per.equals(Duration.ofHours(1)) ? "h" : "d";
        return count + "/" + unit;
    }
}
