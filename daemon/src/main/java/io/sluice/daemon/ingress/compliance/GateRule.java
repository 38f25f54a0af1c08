package io.sluice.daemon.ingress.compliance;

/**
 * The rules marketing mail must meet before it is queued (Gmail's and Yahoo's bulk-sender
 * requirements of February 2024; RFC 8058; RFC 7489 alignment). The label names the rule in
 * replies, problems and events.
 */
public enum GateRule {
    /** A List-Unsubscribe field with an https URI (RFC 2369, RFC 8058 §3.1). */
    LIST_UNSUBSCRIBE("list-unsubscribe"),
    /** List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058 §3.1). */
    LIST_UNSUBSCRIBE_POST("list-unsubscribe-post"),
    /** Both fields in every signature's h= list, over-signed like From (RFC 8058 §4, RFC 6376 §8.15). */
    DKIM_COVERAGE("dkim-coverage"),
    /** The From domain is one the tenant owns (sluice.tenants.NAME.domains). */
    FROM_DOMAIN("from-domain"),
    /** The From domain's organisational domain is that of a DKIM domain Sluice signs it with (RFC 7489 §3.1.1). */
    ALIGNMENT("dkim-alignment"),
    /** A Date field (RFC 5322 §3.6). */
    DATE("date"),
    /** A Message-ID field (RFC 5322 §3.6.4). */
    MESSAGE_ID("message-id");

    private final String label;

    GateRule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
