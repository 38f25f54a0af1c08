package io.sluice.protocol.dane;

/** The DNSSEC state of one answer (RFC 4035 §4.3), plus a lookup that got no answer at all. */
public enum Security {
    /** Validated from a trust anchor. */
    SECURE,
    /** Provably unsigned (an insecure delegation, or no anchor above it). */
    INSECURE,
    /** Signed but failing validation. */
    BOGUS,
    /** No usable answer: timeout, I/O error, a resolver failure other than validation. */
    FAILED
}
