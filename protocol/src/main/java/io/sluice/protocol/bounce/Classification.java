package io.sluice.protocol.bounce;

/**
 * The verdict on one failed delivery.
 *
 * @param category  what Sluice does about it
 * @param reason    the Sisimai reason name ({@code userunknown}, {@code blocked}, ...)
 * @param hard      Sisimai's hard bounce: {@code userunknown}, {@code hostunknown}, {@code hasmoved},
 *                  and {@code notaccept} unless the reply was temporary (4yz); everything else is soft
 * @param status    the RFC 3463 enhanced status code, as received or inferred from the reason; null
 *                  when there was neither a reply nor a status
 * @param replyCode the SMTP reply code, 0 when unknown (a DSN without Diagnostic-Code)
 * @param evidence  what the verdict rests on; act on a single hard verdict only when it is
 *                  {@linkplain Evidence#conclusive() conclusive}
 * @param rule      the rule that decided ({@code file:line}), or null when no rule did
 */
public record Classification(BounceCategory category, String reason, boolean hard, String status, int replyCode,
                             Evidence evidence, String rule) {

    public Classification {
        evidence = evidence == null ? Evidence.NONE : evidence;
    }

    /** A verdict not reached by the rules (delivered, vacation, feedback, suppressed). */
    public Classification(BounceCategory category, String reason, boolean hard, String status, int replyCode) {
        this(category, reason, hard, status, replyCode, Evidence.NONE, null);
    }

    /** True when the evidence is unambiguous (see {@link Evidence#conclusive()}). */
    public boolean conclusive() {
        return evidence.conclusive();
    }
}
