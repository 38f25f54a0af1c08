package io.sluice.daemon.outcome.rates;

/**
 * What counts are kept for: a provider rule's name and, where known, the source, tenant and
 * campaign. A roll-up leaves some of them out (null means "all"); mail without a campaign has
 * campaign null in every key.
 */
public record RateKey(String provider, String source, String tenant, String campaign) {
    /** The name counts are kept under when they cannot be tied to a delivery or past a table's cap. */
    public static final String OTHER = "other";

    public RateKey {
        if (provider == null) {
            throw new IllegalArgumentException("a rate key needs a provider");
        }
    }

    /** Provider × tenant × campaign, over all sources: what the complaint and bounce rules read. */
    public RateKey sender() {
        return new RateKey(provider, null, tenant, campaign);
    }

    /** Provider × source, over all tenants: what the block rule reads. */
    public RateKey sourceOnly() {
        return new RateKey(provider, source, null, null);
    }

    /** Provider × tenant: the roll-up the Prometheus series are cut by. */
    public RateKey tenantOnly() {
        return new RateKey(provider, null, tenant, null);
    }

    /** Where a table past its cap counts this key: the provider's {@code other} key of the same shape. */
    RateKey overflow() {
        return new RateKey(provider, source == null ? null : OTHER, tenant == null ? null : OTHER,
                campaign == null ? null : OTHER);
    }
}
