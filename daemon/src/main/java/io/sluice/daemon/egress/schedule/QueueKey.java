package io.sluice.daemon.egress.schedule;

import java.util.Map;

/**
 * Which scheduled queue a delivery waits in: (tenant, campaign, domain), and whether it is
 * transactional (served before bulk). Envelope attributes "tenant", "campaign" and "class"
 * ("transactional") set it; a missing one is "default".
 */
public record QueueKey(String tenant, String campaign, String domain, boolean transactional) {
    public static final String DEFAULT = "default";

    public static QueueKey of(Map<String, String> attributes, String domain) {
        String tenant = attributes.getOrDefault("tenant", DEFAULT);
        String campaign = attributes.getOrDefault("campaign", DEFAULT);
        boolean tx = "transactional".equalsIgnoreCase(attributes.get("class"));
        return new QueueKey(tenant.intern(), campaign.intern(), domain, tx);
    }

    @Override
    public String toString() {
        return tenant + "/" + campaign + "/" + domain + (transactional ? " (transactional)" : "");
    }
}
