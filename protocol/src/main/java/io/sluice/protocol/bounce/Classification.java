package io.sluice.protocol.bounce;

/**
 * The verdict on one failed delivery.
 *
 * @param category  what Sluice does about it
 * @param reason    the Sisimai reason name ({@code userunknown}, {@code blocked}, ...)
 * @param hard      true only when the category is about the recipient and the failure is permanent
 *                  (5yz or a 5.x.x status): this is what suppresses an address
 * @param status    the RFC 3463 enhanced status code, as received or inferred from the reason; null
 *                  when there was neither a reply nor a status
 * @param replyCode the SMTP reply code, 0 when unknown (a DSN without Diagnostic-Code)
 */
public record Classification(BounceCategory category, String reason, boolean hard, String status, int replyCode) {}
