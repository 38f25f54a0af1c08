package io.sluice.daemon.shaping;

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
 * @param tls                        opportunistic, required or none
 */
public record ProviderRule(String name, List<String> mxSuffixes, List<String> domains, int maxConnectionsPerPath,
                           int maxConnections, int maxDeliveriesPerConnection, Rate messageRate,
                           Rate connectionRate, String tls) {

    public ProviderRule {
        mxSuffixes = mxSuffixes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        domains = domains.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
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
