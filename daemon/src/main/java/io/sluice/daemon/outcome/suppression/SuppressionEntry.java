package io.sluice.daemon.outcome.suppression;

import java.time.Instant;

/**
 * An address (or a whole domain) a tenant, or everyone, must not send to.
 *
 * @param tenant  the tenant, or {@link SuppressionStore#GLOBAL}
 * @param key     lower-cased address, or {@code @domain}
 * @param expires null for never
 */
public record SuppressionEntry(String tenant, String key, SuppressionReason reason, String source, String note,
                               Instant added, Instant expires) {

    static SuppressionEntry of(SuppressionChange c) {
        return new SuppressionEntry(c.tenant(), c.key(), c.reason(), c.source(), c.note(), c.at(), c.expires());
    }

    public boolean isDomain() {
        return key.startsWith("@");
    }
}
