package io.sluice.bench;

import java.time.Duration;
import java.util.Locale;

/** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} (and plain seconds). */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            long v = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(v);
                case 'm' -> Duration.ofMinutes(v);
                case 'h' -> Duration.ofHours(v);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new UserError("not a duration: '" + text + "' (e.g. 500ms, 30s, 5m)");
        }
    }
}
