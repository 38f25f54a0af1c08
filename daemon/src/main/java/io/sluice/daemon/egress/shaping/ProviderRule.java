package io.sluice.daemon.egress.shaping;

import io.sluice.protocol.client.TlsMode;

import java.util.List;
import java.util.Locale;

/**
 * How to treat one mailbox provider. A domain matches when it is listed in {@code domains}, or
 * when every one of its MX hosts ends with one of {@code mxSuffixes} (so every Google Workspace
 * domain, each with its own MX names, rolls up to "gmail"). Limits are keyed by the rule's name.
 *
 * @param maxConnectionsPerPath      concurrent connections from one source to one site
 * @param maxConnections             concurrent connections from one source to this provider, all sites together
 * @param maxDeliveriesPerConnection transactions on one connection before it is renewed
 * @param messageRate                messages per source to this provider
 * @param connectionRate             new connections per source to this provider
 * @param tls                        STARTTLS: opportunistic, required or none ({@code tls} in the rules file)
 * @param totalMessageRate           messages to this provider from all sources together (in a cluster:
 *                                   from all nodes); {@link Rate#UNLIMITED} when absent
 * @param totalMaxConnections        concurrent connections to this provider from all sources together (in
 *                                   a cluster: all nodes); {@link #NO_TOTAL} when absent
 */
public record ProviderRule(String name, List<String> mxSuffixes, List<String> domains, int maxConnectionsPerPath,
                           int maxConnections, int maxDeliveriesPerConnection, Rate messageRate,
                           Rate connectionRate, TlsMode tls, Rate totalMessageRate, int totalMaxConnections) {

    /** No provider-wide connection cap: only each source's own. */
    public static final int NO_TOTAL = Integer.MAX_VALUE;

    public ProviderRule {
        mxSuffixes = mxSuffixes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        domains = domains.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** A rule without provider-wide totals. */
    public ProviderRule(String name, List<String> mxSuffixes, List<String> domains, int maxConnectionsPerPath,
                        int maxConnections, int maxDeliveriesPerConnection, Rate messageRate,
                        Rate connectionRate, TlsMode tls) {
        this(name, mxSuffixes, domains, maxConnectionsPerPath, maxConnections, maxDeliveriesPerConnection,
                messageRate, connectionRate, tls, Rate.UNLIMITED, NO_TOTAL);
    }

    /** True when the provider has a limit across all sources. */
    public boolean hasTotals() {
        return !totalMessageRate.unlimited() || totalMaxConnections != NO_TOTAL;
    }

    boolean matchesDomain(String domain) {
        return domains.contains(domain);
    }

    /** True when every MX host ends with one of the suffixes. */
    boolean matchesMx(List<String> mxHosts) {
        if (mxSuffixes.isEmpty() || mxHosts.isEmpty()) {
            return false;
        }
        for (String host : mxHosts) {
            String h = host.toLowerCase(Locale.ROOT);
            if (h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
            boolean any = false;
            for (String suffix : mxSuffixes) {
                if (h.endsWith(suffix) || ("." + h).equals(suffix)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }
}
