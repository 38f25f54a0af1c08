package io.sluice.protocol.bounce;

/**
 * What a verdict rests on. A hard verdict suppresses an address for good, so the daemon needs to
 * know whether it may act on one bounce or should wait for the failure to repeat: only
 * {@link #conclusive()} evidence is unambiguous. A reply whose RFC 3463 status and whose words say
 * the same thing, or a provider's published reply catalogue, is; words alone (which MTAs choose
 * freely and which the same server uses for filters) or a status alone (which servers reuse for
 * policy refusals: many say 5.1.1 to anything they will not take) are not.
 */
public enum Evidence {
    /** A remote-host rule: the provider's own catalogue of replies, matched by its host name. */
    REMOTE_HOST,
    /** The enhanced status and a text rule point to the same reason. */
    STATUS_AND_TEXT,
    /** Only the enhanced status (the text was silent or said something else). */
    STATUS,
    /** Only a text rule (no status, or a status of no help: x.0.0). */
    TEXT,
    /** Only the reply code, the status class, the SMTP command or the DSN action. */
    CODE,
    /** Nothing: the reason is {@code onhold} or {@code undefined}, or the verdict was not a classification. */
    NONE;

    /** True when the evidence is unambiguous enough to act on one bounce. */
    public boolean conclusive() {
        return this == REMOTE_HOST || this == STATUS_AND_TEXT;
    }
}
