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
 * @param url               public base URL of the tracking endpoints (e.g. https://track.example.com)
 * @param scannerWindow     a click this soon after sending is flagged as a machine's (link scanners)
 * @param linkScannerWindow clicks of different links of one message and recipient this close
 *                          together are all a machine's ({@link ClickBursts}); zero: rule off
 * @param textLinks         whether the URLs of text parts are rewritten too (off unless asked)
 */
public record TrackingSettings(boolean enabled, boolean opens, boolean clicks, String url, Duration scannerWindow,
                               Map<String, Boolean> tenants, Map<String, String> tenantUrls,
                               Map<String, Boolean> campaigns, Duration linkScannerWindow, OptIn textLinks) {
    public static final Duration LINK_SCANNER_WINDOW = Duration.ofSeconds(2);
    public static final TrackingSettings OFF = new TrackingSettings(false, true, true, null, Duration.ofSeconds(10),
            Map.of(), Map.of(), Map.of());

    /**
     * A choice made globally, per tenant and per campaign: the campaign's wins over its tenant's,
     * which wins over the global one.
     */
    public record OptIn(boolean global, Map<String, Boolean> tenants, Map<String, Boolean> campaigns) {
        public static final OptIn NEVER = new OptIn(false, Map.of(), Map.of());

        public OptIn {
            tenants = Map.copyOf(tenants);
            campaigns = Map.copyOf(campaigns);
        }

        public boolean chosenFor(String tenant, String campaign) {
            Boolean c = campaign == null ? null : campaigns.get(campaign);
            if (c != null) {
                return c;
            }
            Boolean t = tenant == null ? null : tenants.get(tenant);
            return t != null ? t : global;
        }

        /* {@code sluice.tracking.<name>}, {@code sluice.tenants.<t>.tracking.<name>}, {@code sluice.campaigns.<c>.tracking.<name>} */
        static OptIn from(PropertyResolver env, String name) {
            boolean global = bool(env, "sluice.tracking." + name, false);
            Map<String, Boolean> tenants = new HashMap<>();
            for (String t : env.getPropertyEntries("sluice.tenants")) {
                String k = "sluice.tenants." + t + ".tracking." + name;
                env.getProperty(k, String.class).ifPresent(v -> tenants.put(t, parse(k, v)));
            }
            Map<String, Boolean> campaigns = new HashMap<>();
            for (String c : env.getPropertyEntries("sluice.campaigns")) {
                String k = "sluice.campaigns." + c + ".tracking." + name;
                env.getProperty(k, String.class).ifPresent(v -> campaigns.put(c, parse(k, v)));
            }
            return new OptIn(global, tenants, campaigns);
        }
    }

    public TrackingSettings {
        tenants = Map.copyOf(tenants);
        tenantUrls = Map.copyOf(tenantUrls);
        campaigns = Map.copyOf(campaigns);
        if (linkScannerWindow == null) {
            linkScannerWindow = LINK_SCANNER_WINDOW;
        }
        if (textLinks == null) {
            textLinks = OptIn.NEVER;
        }
    }

    /** Without the link-scanner window (the default) and text-part rewriting (off). */
    public TrackingSettings(boolean enabled, boolean opens, boolean clicks, String url, Duration scannerWindow,
                            Map<String, Boolean> tenants, Map<String, String> tenantUrls, Map<String, Boolean> campaigns) {
        this(enabled, opens, clicks, url, scannerWindow, tenants, tenantUrls, campaigns, LINK_SCANNER_WINDOW,
                OptIn.NEVER);
    }

    /** Whether the URLs of this tenant's and campaign's text parts are rewritten too. */
    public boolean textLinksFor(String tenant, String campaign) {
        return textLinks.chosenFor(tenant, campaign);
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
        Duration scanner = duration(env, "sluice.tracking.scanner-window", Duration.ofSeconds(10));
        Duration linkScanner = duration(env, "sluice.tracking.link-scanner-window", LINK_SCANNER_WINDOW);
        if (linkScanner.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new ConfigException("sluice.tracking.link-scanner-window", linkScanner.toString(),
                    "at most 1m: each click's event waits this long");
        }
        TrackingSettings t = new TrackingSettings(enabled, bool(env, "sluice.tracking.opens", true),
                bool(env, "sluice.tracking.clicks", true), url, scanner, tenants, tenantUrls, campaigns, linkScanner,
                OptIn.from(env, "text-links"));
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

    private static Duration duration(PropertyResolver env, String key, Duration dflt) {
        String s = env.getProperty(key, String.class).orElse(dflt.toString());
        Duration d;
        try {
            d = env.getProperty(key, Duration.class).orElse(dflt);
        } catch (RuntimeException e) {
            throw new ConfigException(key, s, "not a duration (such as 10s)");
        }
        if (d.isNegative()) {
            throw new ConfigException(key, s, "must not be negative");
        }
        return d;
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
