package io.sluice.daemon.outcome.suppression;

import java.time.Instant;

/**
 * One line of an address's history: who or what added or removed it, when and why.
 *
 * @param action  {@code add} or {@code remove}
 * @param tenant  the tenant whose list changed, or {@link SuppressionStore#GLOBAL}
 * @param key     a lower-cased address, or {@code @domain} for a whole domain
 * @param reason  why it was added (for a remove: the reason it had, may be null)
 * @param source  what made the change: {@code bounce}, {@code oob}, {@code feedback}, {@code unsubscribe},
 *                {@code admin}, {@code import}, {@code hygiene}
 * @param note    free text: the remote reply, the complaint type, the operator's comment
 * @param at      when
 * @param expires when the entry lapses by itself, or null for never
 */
public record SuppressionChange(String action, String tenant, String key, SuppressionReason reason, String source,
                                String note, Instant at, Instant expires) {
    public static final String ADD = "add";
    public static final String REMOVE = "remove";

    public boolean isAdd() {
        return ADD.equals(action);
    }
}
