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
    UNSUBSCRIBE,
    /** A tracked open by a person (issue 20: the tracking pixel, not flagged as machine traffic). */
    OPEN,
    /** A tracked click by a person. */
    CLICK,
    /** A tracked open flagged as machine traffic (Apple's privacy proxy, a HEAD request, a bot): counted apart. */
    MACHINE_OPEN,
    /** A tracked click flagged as machine traffic (a link scanner, a bot, a HEAD request). */
    MACHINE_CLICK;

    /** Whether this is an open or click (never a circuit-breaker signal: engagement is the sender's to judge). */
    public boolean engagement() {
        return this == OPEN || this == CLICK || this == MACHINE_OPEN || this == MACHINE_CLICK;
    }

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
