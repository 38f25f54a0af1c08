package io.sluice.dkim;

/**
 * A DKIM canonicalization algorithm (RFC 6376 §3.4). The body half lives in {@link BodyHasher};
 * the header half is here because it works on one field at a time.
 */
public enum Canonicalization {
    SIMPLE, RELAXED;

    /** The name used in the {@code c=} tag. */
    public String tag() {
        return this == SIMPLE ? "simple" : "relaxed";
    }

    /** Parses {@code simple} or {@code relaxed} (case-insensitive). */
    public static Canonicalization parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw new IllegalArgumentException("unknown canonicalization '" + s + "' (simple or relaxed)");
        };
    }

    /**
     * Canonicalizes one header field. {@code field} is the raw field as ISO-8859-1 chars (so every
     * byte, UTF-8 included, survives untouched), with its terminating CRLF if it had one.
     */
    String canonicalizeHeader(String field) {
        if (this == SIMPLE) {
            return field; // §3.4.1: no change at all
        }
        // §3.4.2: lowercase the name, unfold, collapse WSP runs to one SP, strip WSP at the end of
        // the value and around the colon.
        int colon = field.indexOf(':');
        String name = colon < 0 ? field : field.substring(0, colon);
        String value = colon < 0 ? "" : field.substring(colon + 1);
        StringBuilder out = new StringBuilder(field.length());
        out.append(asciiLower(stripWsp(name))).append(':');
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                continue; // unfold: CRLF inside the field goes away, the WSP after it stays
            }
            if (c == ' ' || c == '\t') {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.append(c);
            started = true;
        }
        return out.append("\r\n").toString();
    }

    private static String stripWsp(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(b, e);
    }

    /** Header names are ASCII (RFC 5322 §2.2); Locale-dependent lowercasing would touch other bytes. */
    static String asciiLower(String s) {
        char[] cs = s.toCharArray();
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] >= 'A' && cs[i] <= 'Z') {
                cs[i] = (char) (cs[i] + 32);
            }
        }
        return new String(cs);
    }
}
