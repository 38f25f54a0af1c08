package io.sluice.protocol.mime;

import java.util.Locale;

/** Reads {@code name=value} parameters of structured header fields (RFC 2045 §5.1). */
public final class HeaderParameters {

    private HeaderParameters() {}

    /** The value of a parameter (name case-insensitive), unquoted, or null. Tolerates missing quotes and stray spaces. */
    public static String get(String field, String name) {
        if (field == null) {
            return null;
        }
        String lower = field.toLowerCase(Locale.ROOT);
        String key = name.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lower.indexOf(key, from);
            if (at < 0) {
                return null;
            }
            from = at + key.length();
            boolean startsParam = at == 0 || lower.charAt(at - 1) == ';' || Character.isWhitespace(lower.charAt(at - 1));
            int eq = from;
            while (eq < lower.length() && lower.charAt(eq) == ' ') {
                eq++;
            }
            if (!startsParam || eq >= lower.length() || lower.charAt(eq) != '=') {
                continue;
            }
            int v = eq + 1;
            while (v < field.length() && field.charAt(v) == ' ') {
                v++;
            }
            if (v < field.length() && field.charAt(v) == '"') {
                int close = field.indexOf('"', v + 1);
                return field.substring(v + 1, close < 0 ? field.length() : close);
            }
            int end = v;
            while (end < field.length() && field.charAt(end) != ';' && !Character.isWhitespace(field.charAt(end))) {
                end++;
            }
            return field.substring(v, end);
        }
    }
}
