package io.sluice.protocol.bounce;

import java.util.Locale;

/**
 * The classifier's own, finer reasons. Each maps to one {@link BounceCategory} (what Sluice does)
 * and one Sisimai reason name (what operators and other tools compare against; see
 * {@code testdata/corpora/bounces/reasons.tsv}), and knows the RFC 3463 status to report when the
 * reply carried none.
 *
 * <p>Finer than Sisimai where the reaction differs: a DNS block list and a "we don't take mail from
 * your network" policy are both Sisimai {@code blocked}, but one is spam-related and the other
 * policy-related; Sisimai's {@code networkerror} covers both a host that never answered and a DNS
 * or routing failure.
 */
public enum BounceReason {
    USER_UNKNOWN(BounceCategory.BAD_MAILBOX, "userunknown", "1.1"),
    HOST_UNKNOWN(BounceCategory.BAD_DOMAIN, "hostunknown", "1.2"),
    /** RFC 7505 null MX or a host that accepts no mail at all. */
    NOT_ACCEPT(BounceCategory.BAD_DOMAIN, "notaccept", "1.10"),
    HAS_MOVED(BounceCategory.INACTIVE_MAILBOX, "hasmoved", "1.6"),
    SUSPEND(BounceCategory.SUSPENDED_MAILBOX, "suspend", "2.1"),
    MAILBOX_FULL(BounceCategory.QUOTA_ISSUES, "mailboxfull", "2.2"),
    EXCEED_LIMIT(BounceCategory.QUOTA_ISSUES, "exceedlimit", "2.3"),
    SYSTEM_FULL(BounceCategory.QUOTA_ISSUES, "systemfull", "3.1"),
    MESG_TOO_BIG(BounceCategory.CONTENT_RELATED, "mesgtoobig", "3.4"),
    EXPIRED(BounceCategory.MESSAGE_EXPIRED, "expired", "4.7"),
    NO_ANSWER(BounceCategory.NO_ANSWER_FROM_HOST, "networkerror", "4.1"),
    ROUTING(BounceCategory.ROUTING_ERRORS, "networkerror", "4.4"),
    MAIL_LOOP(BounceCategory.ROUTING_ERRORS, "networkerror", "4.6"),
    TOO_MANY_CONN(BounceCategory.BAD_CONNECTION, "toomanyconn", "4.5"),
    SPEEDING(BounceCategory.POLICY_RELATED, "speeding", "7.1"),
    NO_RELAYING(BounceCategory.RELAYING_ISSUES, "norelaying", "7.1"),
    BLOCK_LISTED(BounceCategory.SPAM_RELATED, "blocked", "7.1"),
    BLOCKED(BounceCategory.POLICY_RELATED, "blocked", "7.1"),
    BAD_REPUTATION(BounceCategory.SPAM_RELATED, "badreputation", "7.1"),
    REQUIRE_PTR(BounceCategory.BAD_CONFIGURATION, "requireptr", "7.25"),
    AUTH_FAILURE(BounceCategory.AUTH_FAILED, "authfailure", "7.26"),
    FAILED_STARTTLS(BounceCategory.BAD_CONFIGURATION, "failedstarttls", "7.10"),
    SECURITY_ERROR(BounceCategory.POLICY_RELATED, "securityerror", "7.1"),
    SPAM_DETECTED(BounceCategory.SPAM_RELATED, "spamdetected", "7.1"),
    VIRUS_DETECTED(BounceCategory.VIRUS_RELATED, "virusdetected", "7.1"),
    POLICY_VIOLATION(BounceCategory.POLICY_RELATED, "policyviolation", "7.0"),
    FILTERED(BounceCategory.POLICY_RELATED, "filtered", "2.0"),
    CONTENT_ERROR(BounceCategory.CONTENT_RELATED, "contenterror", "6.0"),
    NOT_COMPLIANT_RFC(BounceCategory.CONTENT_RELATED, "notcompliantrfc", "7.1"),
    REJECTED(BounceCategory.INVALID_SENDER, "rejected", "1.8"),
    SYNTAX_ERROR(BounceCategory.PROTOCOL_ERRORS, "syntaxerror", "5.2"),
    TOO_MANY_RECIPIENTS(BounceCategory.TOO_MANY_RECIPIENTS, "exceedlimit", "5.3"),
    SYSTEM_ERROR(BounceCategory.TRANSIENT, "systemerror", "3.0"),
    MAILER_ERROR(BounceCategory.OTHER, "mailererror", "3.0"),
    SUPPRESSED(BounceCategory.POLICY_RELATED, "suppressed", "0.0"),
    ON_HOLD(BounceCategory.OTHER, "onhold", "0.0"),
    UNDEFINED(BounceCategory.OTHER, "undefined", "0.0"),
    /* Not failures, named so that every message the bounce address receives gets a Sisimai name. */
    DELIVERED(BounceCategory.OTHER, "delivered", "0.0"),
    VACATION(BounceCategory.OTHER, "vacation", "0.0"),
    FEEDBACK(BounceCategory.SPAM_RELATED, "feedback", "0.0");

    private final BounceCategory category;
    private final String sisimai;
    private final String subjectDetail;

    BounceReason(BounceCategory category, String sisimai, String subjectDetail) {
        this.category = category;
        this.sisimai = sisimai;
        this.subjectDetail = subjectDetail;
    }

    public BounceCategory category() {
        return category;
    }

    /** The Sisimai reason name, e.g. {@code userunknown}. */
    public String sisimai() {
        return sisimai;
    }

    /** The rules-file spelling: lower case with dashes, e.g. {@code user-unknown}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The status to report when the reply had none: class from the reply code, e.g. 5 + "1.1". */
    String inferredStatus(int statusClass) {
        return statusClass + "." + subjectDetail;
    }

    /** Parses {@link #label()} or the enum name, case-insensitive; null when unknown. */
    public static BounceReason fromLabel(String s) {
        String n = s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (BounceReason r : values()) {
            if (r.name().equals(n)) {
                return r;
            }
        }
        return null;
    }
}
