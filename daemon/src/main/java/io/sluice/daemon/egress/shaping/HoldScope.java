package io.sluice.daemon.egress.shaping;

import io.sluice.daemon.egress.route.Site;

/**
 * What a hold applies to. Inside the engine scopes are these values; on the wire (admin API,
 * {@code sluicectl}, events, the cluster's hold broadcast) they keep their text form —
 * {@code domain:D}, {@code tenant:T}, {@code campaign:C}, {@code path:SOURCE>SITE},
 * {@code source:SOURCE>PROVIDER}, {@code tenant:T>PROVIDER}, {@code campaign:C>PROVIDER} — made by
 * {@link #toString()} and read by {@link #parse}. Tenant and campaign names never contain
 * {@code >} (label syntax), so the two forms of each cannot be confused.
 */
public sealed interface HoldScope {

    /** Mail to one recipient domain. */
    record Domain(String name) implements HoldScope {
        @Override
        public String toString() {
            return "domain:" + name;
        }
    }

    /** One tenant's mail. */
    record Tenant(String name) implements HoldScope {
        @Override
        public String toString() {
            return "tenant:" + name;
        }
    }

    /** One campaign's mail. */
    record Campaign(String name) implements HoldScope {
        @Override
        public String toString() {
            return "campaign:" + name;
        }
    }

    /** One egress path: a source talking to one site (its MX hosts, comma-separated and sorted). */
    record Path(String source, Site site) implements HoldScope {
        @Override
        public String toString() {
            return "path:" + source + ">" + site.name();
        }
    }

    /**
     * One source towards one provider, on every site of the provider; provider {@link #ANY}
     * ({@code source:SOURCE>*}) holds the source towards every provider.
     */
    record SourceProvider(String source, String provider) implements HoldScope {
        /** The provider name that stands for every provider. */
        public static final String ANY = "*";

        /** The source towards every provider. */
        public static SourceProvider everywhere(String source) {
            return new SourceProvider(source, ANY);
        }

        @Override
        public String toString() {
            return "source:" + source + ">" + provider;
        }
    }

    /** One tenant's mail towards one provider (the circuit breaker's pause), on every site of the provider. */
    record TenantProvider(String tenant, String provider) implements HoldScope {
        @Override
        public String toString() {
            return "tenant:" + tenant + ">" + provider;
        }
    }

    /** One campaign's mail towards one provider (the circuit breaker's pause), on every site of the provider. */
    record CampaignProvider(String campaign, String provider) implements HoldScope {
        @Override
        public String toString() {
            return "campaign:" + campaign + ">" + provider;
        }
    }

    /**
     * Reads the text form.
     *
     * @throws IllegalArgumentException naming the forms, for anything else
     */
    static HoldScope parse(String text) {
        if (text != null && text.matches("domain:[^\\s]+|(tenant|campaign):[^\\s>]+(>[^\\s>]+)?"
                + "|(path|source):[^\\s>]+>[^\\s]+")) {
            int colon = text.indexOf(':');
            String kind = text.substring(0, colon);
            String rest = text.substring(colon + 1);
            int gt = rest.indexOf('>');
            return switch (kind) {
                case "domain" -> new Domain(rest);
                case "tenant" -> gt < 0 ? new Tenant(rest) : new TenantProvider(rest.substring(0, gt), rest.substring(gt + 1));
                case "campaign" -> gt < 0 ? new Campaign(rest)
                        : new CampaignProvider(rest.substring(0, gt), rest.substring(gt + 1));
                case "path" -> new Path(rest.substring(0, gt), Site.parse(rest.substring(gt + 1)));
                default -> new SourceProvider(rest.substring(0, gt), rest.substring(gt + 1));
            };
        }
        throw new IllegalArgumentException("scope must be domain:D, tenant:T, campaign:C, path:SOURCE>SITE, "
                + "source:SOURCE>PROVIDER, tenant:T>PROVIDER or campaign:C>PROVIDER, not " + text);
    }
}
