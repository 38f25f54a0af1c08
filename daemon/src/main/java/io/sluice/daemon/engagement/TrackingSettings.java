package io.sluice.daemon.engagement;

import io.micronaut.core.value.PropertyResolver;
import io.sluice.daemon.config.ConfigException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tracking's settings, read once at start: {@code sluice.tracking.*} (all off by default), and
 * per tenant {@code sluice.tenants.<name>.tracking.*} / per campaign
 * {@code sluice.campaigns.<name>.tracking.enabled}. A campaign's choice wins over its tenant's,
 * which wins over the global one. A bad value is a ConfigException naming its key.
 *
 * @param url            public base URL of the tracking endpoints (e.g. https://track.example.com)
 * @param scannerWindow  a click this soon after sending is flagged as a machine's (link scanners)
 */
public record TrackingSettings(boolean enabled, boolean opens, boolean clicks, String url, Duration scannerWindow,
                               Map<String, Boolean> tenants, Map<String, String> tenantUrls,
                               Map<String, Boolean> campaigns) {
    public static final TrackingSettings OFF = new TrackingSettings(false, true, true, null, Duration.ofSeconds(10),
            Map.of(), Map.of(), Map.of());

    public TrackingSettings {
        tenants = Map.copyOf(tenants);
        tenantUrls = Map.copyOf(tenantUrls);
        campaigns = Map.copyOf(campaigns);
    }

    /** Whether mail of this tenant and campaign (either may be null) is tracked. */
    public boolean trackedFor(String tenant, String campaign) {
        Boolean c = campaign == null ? null : campaigns.get(campaign);
        if (c != null) {
            return c;
        }
        Boolean t = tenant == null ? null : tenants.get(tenant);
        return t != null ? t : enabled;
    }

    /** The base URL for a tenant's links: its own tracking host, else the global one. */
    public String urlFor(String tenant) {
        String u = tenant == null ? null : tenantUrls.get(tenant);
        return u != null ? u : url;
    }

    public boolean anyEnabled() {
        return enabled || tenants.containsValue(true) || campaigns.containsValue(true);
    }

    /**
     * @param secretPresent whether {@code sluice.bounce.secret} is set (tokens are signed with it)
     */
    public static TrackingSettings from(PropertyResolver env, boolean secretPresent) {
        boolean enabled = bool(env, "sluice.tracking.enabled", false);
        String url = url(env, "sluice.tracking.url");
        Map<String, Boolean> tenants = new HashMap<>();
        Map<String, String> tenantUrls = new HashMap<>();
        for (String t : env.getPropertyEntries("sluice.tenants")) {
            String p = "sluice.tenants." + t + ".tracking.";
            env.getProperty(p + "enabled", String.class).ifPresent(v -> tenants.put(t, parse(p + "enabled", v)));
            String u = url(env, p + "url");
            if (u != null) {
                tenantUrls.put(t, u);
            }
        }
        Map<String, Boolean> campaigns = new HashMap<>();
        for (String c : env.getPropertyEntries("sluice.campaigns")) {
            String k = "sluice.campaigns." + c + ".tracking.enabled";
            env.getProperty(k, String.class).ifPresent(v -> campaigns.put(c, parse(k, v)));
        }
        Duration scanner;
        String s = env.getProperty("sluice.tracking.scanner-window", String.class).orElse("10s");
        try {
            scanner = env.getProperty("sluice.tracking.scanner-window", Duration.class).orElse(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            throw new ConfigException("sluice.tracking.scanner-window", s, "not a duration (such as 10s)");
        }
        if (scanner.isNegative()) {
            throw new ConfigException("sluice.tracking.scanner-window", s, "must not be negative");
        }
        TrackingSettings t = new TrackingSettings(enabled, bool(env, "sluice.tracking.opens", true),
                bool(env, "sluice.tracking.clicks", true), url, scanner, tenants, tenantUrls, campaigns);
        if (t.anyEnabled()) {
            if (url == null && (enabled || campaigns.containsValue(true))) {
                throw new ConfigException("sluice.tracking.url", "", "needed when tracking is enabled: the public "
                        + "base URL of /t/o and /t/c, e.g. https://track.example.com");
            }
            for (Map.Entry<String, Boolean> e : tenants.entrySet()) {
                if (e.getValue() && t.urlFor(e.getKey()) == null) {
                    throw new ConfigException("sluice.tenants." + e.getKey() + ".tracking.url", "", "needed when the "
                            + "tenant's tracking is enabled and sluice.tracking.url is not set");
                }
            }
            if (!secretPresent) {
                throw new ConfigException("sluice.bounce.secret", "", "needed (at least 16 characters) when tracking "
                        + "is enabled: tracking links are signed with it");
            }
        }
        return t;
    }

    private static boolean bool(PropertyResolver env, String key, boolean dflt) {
        Optional<String> v = env.getProperty(key, String.class);
        return v.isEmpty() ? dflt : parse(key, v.get());
    }

    private static boolean parse(String key, String v) {
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new ConfigException(key, v, "must be true or false");
        };
    }

    private static String url(PropertyResolver env, String key) {
        String u = env.getProperty(key, String.class).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (u == null) {
            return null;
        }
        if (!(u.startsWith("https://") || u.startsWith("http://")) || u.length() < 10) {
            throw new ConfigException(key, u, "must be an http(s):// base URL such as https://track.example.com");
        }
        return u.replaceAll("/+$", "");
    }
}
