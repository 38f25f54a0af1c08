package io.sluice.daemon.outcome.rates;

import java.util.Locale;

/** What is counted: the outcome of an attempt, or what a receiver told us later. */
public enum Signal {
    /** A 2xx to the message. */
    DELIVERED,
    /** A transient failure (4xx, or an expiry after the last one). */
    DEFERRED,
    /** A permanent failure of any kind. */
    BOUNCED,
    /** A permanent failure about the recipient address (the classifier's hard categories). */
    HARD_BOUNCED,
    /** A failure the classifier reads as a block of our source or domain (Sisimai reason {@code blocked}). */
    BLOCKED,
    /** An ARF complaint through a genuine delivery token. */
    COMPLAINT,
    /** An unsubscribe (one-click or mailto). */
    UNSUBSCRIBE;

    /** The spelling in JSON, rules and metrics: lower case with dashes. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #label()}; null when unknown. */
    public static Signal fromLabel(String s) {
        for (Signal v : values()) {
            if (v.label().equals(s)) {
                return v;
            }
        }
        return null;
    }
}
