package io.sluice.protocol.bounce;

import java.util.Locale;

/**
 * What a failed delivery says, in the taxonomy operators know from PowerMTA and KumoMTA
 * ({@code bounce-classify}). The category drives the daemon's reaction: retry, bounce, suppress.
 *
 * <p>Only the three categories about the recipient address itself are {@linkplain #hard() hard}.
 * Block lists, policy, content, reputation, authentication and connection failures are about us
 * (the sending IP, the message, the domain's setup): suppressing recipients for them would let one
 * blocked IP wipe a whole list (ARCHITECTURE.md promise 4).
 */
public enum BounceCategory {
    BAD_MAILBOX(true),
    BAD_DOMAIN(true),
    INACTIVE_MAILBOX(true),
    /** Not in PowerMTA's list: the account exists but is disabled for now (unpaid, locked); it may come back. */
    SUSPENDED_MAILBOX(false),
    QUOTA_ISSUES(false),
    NO_ANSWER_FROM_HOST(false),
    ROUTING_ERRORS(false),
    RELAYING_ISSUES(false),
    BAD_CONNECTION(false),
    BAD_CONFIGURATION(false),
    CONTENT_RELATED(false),
    SPAM_RELATED(false),
    POLICY_RELATED(false),
    VIRUS_RELATED(false),
    MESSAGE_EXPIRED(false),
    PROTOCOL_ERRORS(false),
    INVALID_SENDER(false),
    AUTH_FAILED(false),
    TOO_MANY_RECIPIENTS(false),
    TRANSIENT(false),
    OTHER(false);

    private final boolean hard;
    private final String label;

    BounceCategory(boolean hard) {
        this.hard = hard;
        this.label = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True when the failure is about the recipient address, so the address should be suppressed. */
    public boolean hard() {
        return hard;
    }

    /** The PowerMTA/KumoMTA spelling, e.g. {@code bad-mailbox}. */
    public String label() {
        return label;
    }

    /** Parses {@link #label()} or the enum name, case-insensitive; null when unknown. */
    public static BounceCategory fromLabel(String s) {
        String n = s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (BounceCategory c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        return null;
    }
}
