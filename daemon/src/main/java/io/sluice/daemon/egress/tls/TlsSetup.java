package io.sluice.daemon.egress.tls;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.TlsSettings;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sluice.tls.*} read and checked once (check-config builds this bean and opens nothing):
 * the trust anchors and the policy-host overrides. A bad value is a {@link ConfigException}
 * naming its key.
 */
@Singleton
public final class TlsSetup {
    private final TlsSettings settings;
    private final TrustAnchors anchors;
    private final Map<String, InetSocketAddress> policyHosts;

    public TlsSetup(TlsSettings settings) {
        this.settings = settings;
        if (settings.mtaStsFetchTimeout() == null || settings.mtaStsFetchTimeout().isNegative()
                || settings.mtaStsFetchTimeout().isZero()) {
            throw new ConfigException("sluice.tls.mta-sts-fetch-timeout", String.valueOf(settings.mtaStsFetchTimeout()),
                    "must be a positive duration");
        }
        if (settings.mtaStsRetryFetchAfter() == null || settings.mtaStsRetryFetchAfter().isNegative()) {
            throw new ConfigException("sluice.tls.mta-sts-retry-fetch-after", String.valueOf(settings.mtaStsRetryFetchAfter()),
                    "must be a duration of zero or more");
        }
        this.anchors = TrustAnchors.load(settings.trustStore());
        this.policyHosts = parsePolicyHosts(settings.mtaStsPolicyHosts());
    }

    public TrustAnchors anchors() {
        return anchors;
    }

    public boolean mtaSts() {
        return settings.mtaSts();
    }

    public Duration fetchTimeout() {
        return settings.mtaStsFetchTimeout();
    }

    public Duration retryFetchAfter() {
        return settings.mtaStsRetryFetchAfter();
    }

    public Map<String, InetSocketAddress> policyHosts() {
        return policyHosts;
    }

    /** {@code mta-sts.example.com=127.0.0.1:8443} entries; unresolved, so nothing is looked up at start. */
    static Map<String, InetSocketAddress> parsePolicyHosts(List<String> entries) {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        if (entries == null) {
            return out;
        }
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1 || colon == entry.length() - 1) {
                throw new ConfigException("sluice.tls.mta-sts-policy-hosts", raw, "expected policy-host=host:port");
            }
            String host = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String target = entry.substring(eq + 1, colon).strip();
            if (target.startsWith("[") && target.endsWith("]")) {
                target = target.substring(1, target.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(entry.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new ConfigException("sluice.tls.mta-sts-policy-hosts", raw, "port is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException("sluice.tls.mta-sts-policy-hosts", raw, "port out of range 1-65535");
            }
            out.put(host, InetSocketAddress.createUnresolved(target, port));
        }
        return Map.copyOf(out);
    }
}
