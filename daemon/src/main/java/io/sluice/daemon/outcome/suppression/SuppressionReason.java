package io.sluice.daemon.outcome.suppression;

import java.util.Locale;

/** Why an address is suppressed. The code is what the change log stores (one byte). */
public enum SuppressionReason {
    HARD_BOUNCE(1),
    COMPLAINT(2),
    UNSUBSCRIBE(3),
    MANUAL(4),
    REPEATED_SOFT_BOUNCE(5);

    private final byte code;
    private final String label;

    SuppressionReason(int code) {
        this.code = (byte) code;
        this.label = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    byte code() {
        return code;
    }

    /** {@code hard-bounce}, {@code complaint}, ... as in events, the API and CSV. */
    public String label() {
        return label;
    }

    static SuppressionReason ofCode(byte code) {
        for (SuppressionReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }

    /** Parses a label or enum name, case-insensitive; null when unknown. */
    public static SuppressionReason fromLabel(String s) {
        if (s == null) {
            return null;
        }
        String n = s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (SuppressionReason r : values()) {
            if (r.name().equals(n)) {
                return r;
            }
        }
        return null;
    }
}
