package io.sluice.daemon.config;

import io.micronaut.core.value.PropertyResolver;
import io.sluice.daemon.label.Tenant;
import io.sluice.protocol.bounce.BounceCategory;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The feedback loop's settings: {@code sluice.hygiene.*}, {@code sluice.bounce.*},
 * {@code sluice.feedback.*}, {@code sluice.unsubscribe.*}, and per tenant
 * {@code sluice.tenants.<name>.*} overriding any of {@code bounce-domain}, {@code hygiene.*} and
 * {@code unsubscribe.enabled}. Read once at start; a bad value is a ConfigException naming its key.
 */
public final class FeedbackSettings {

    /**
     * What one tenant's mail does with bounces and complaints, and what goes into it at dispatch.
     *
     * @param bounceDomain  VERP return-path domain, or null: the envelope sender is kept
     * @param unsubscribe   add List-Unsubscribe / List-Unsubscribe-Post at dispatch
     */
    public record Policy(boolean hardBounce, boolean complaint, int softBounceLimit, Duration softBounceWindow,
                         Duration softBounceSuppressFor, Set<BounceCategory> softBounceCategories,
                         String bounceDomain, boolean unsubscribe) {
    }

    private final Policy defaults;
    private final Map<String, Policy> tenants;
    private final String secret;
    private final String traceHeader;
    private final String feedbackAddress;
    private final String unsubscribeUrl;
    private final String unsubscribeDomain;

    /** Settings given directly (tests, tools); the daemon reads them with {@link #from}. */
    public FeedbackSettings(Policy defaults, Map<String, Policy> tenants, String secret, String traceHeader,
                     String feedbackAddress, String unsubscribeUrl, String unsubscribeDomain) {
        this.defaults = defaults;
        this.tenants = Map.copyOf(tenants);
        this.secret = secret;
        this.traceHeader = traceHeader;
        this.feedbackAddress = feedbackAddress;
        this.unsubscribeUrl = unsubscribeUrl;
        this.unsubscribeDomain = unsubscribeDomain;
    }

    public static FeedbackSettings from(PropertyResolver env) {
        Policy defaults = policy(env, "sluice.", null);
        Map<String, Policy> tenants = new HashMap<>();
        for (String t : env.getPropertyEntries("sluice.tenants")) {
            try {
                Tenant.of(t);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("sluice.tenants." + t, t, e.getMessage());
            }
            tenants.put(t, policy(env, "sluice.tenants." + t + ".", defaults));
        }
        String secret = string(env, "sluice.bounce.secret", null);
        String feedback = lower(string(env, "sluice.feedback.address", null));
        String url = string(env, "sluice.unsubscribe.url", null);
        String unsubDomain = lower(string(env, "sluice.unsubscribe.mailto-domain", defaults.bounceDomain()));
        boolean needsSecret = defaults.bounceDomain() != null || defaults.unsubscribe() || feedback != null
                || tenants.values().stream().anyMatch(p -> p.bounceDomain() != null || p.unsubscribe());
        if (needsSecret && (secret == null || secret.length() < 16)) {
            throw new ConfigException("sluice.bounce.secret", secret == null ? "" : "(hidden)",
                    "needed (at least 16 characters) when a bounce domain, feedback address or unsubscribe is set");
        }
        boolean anyUnsub = defaults.unsubscribe() || tenants.values().stream().anyMatch(Policy::unsubscribe);
        if (anyUnsub && (url == null || !(url.startsWith("https://") || url.startsWith("http://")))) {
            throw new ConfigException("sluice.unsubscribe.url", url == null ? "" : url,
                    "needed when unsubscribe is enabled: the public base URL of /u/{token}, e.g. https://mail.example.com");
        }
        if (feedback != null && feedback.indexOf('@') < 1) {
            throw new ConfigException("sluice.feedback.address", feedback, "not an address");
        }
        return new FeedbackSettings(defaults, tenants, secret, string(env, "sluice.bounce.trace-header", "X-Sluice-Trace"),
                feedback, url == null ? null : url.replaceAll("/+$", ""), unsubDomain);
    }

    private static Policy policy(PropertyResolver env, String prefix, Policy base) {
        Policy d = base != null ? base : new Policy(true, true, 5, Duration.ofDays(7), Duration.ofDays(30),
                EnumSet.of(BounceCategory.QUOTA_ISSUES, BounceCategory.SUSPENDED_MAILBOX), null, false);
        String h = prefix + "hygiene.";
        int limit = env.getProperty(h + "soft-bounce-limit", Integer.class).orElse(d.softBounceLimit());
        if (limit < 0) {
            throw new ConfigException(h + "soft-bounce-limit", String.valueOf(limit), "must be 0 (off) or more");
        }
        Set<BounceCategory> cats = d.softBounceCategories();
        String catText = string(env, h + "soft-bounce-categories", null);
        if (catText != null) {
            cats = EnumSet.noneOf(BounceCategory.class);
            for (String c : catText.split("[,\\s]+")) {
                BounceCategory bc = c.isBlank() ? null : BounceCategory.fromLabel(c);
                if (bc == null) {
                    throw new ConfigException(h + "soft-bounce-categories", catText, "unknown category " + c);
                }
                cats.add(bc);
            }
        }
        return new Policy(
                env.getProperty(h + "hard-bounce", Boolean.class).orElse(d.hardBounce()),
                env.getProperty(h + "complaint", Boolean.class).orElse(d.complaint()),
                limit,
                duration(env, h + "soft-bounce-window", d.softBounceWindow()),
                duration(env, h + "soft-bounce-suppress-for", d.softBounceSuppressFor()),
                cats,
                lower(string(env, prefix + (base == null ? "bounce.domain" : "bounce-domain"), d.bounceDomain())),
                env.getProperty(prefix + "unsubscribe.enabled", Boolean.class).orElse(d.unsubscribe()));
    }

    private static Duration duration(PropertyResolver env, String key, Duration d) {
        try {
            Duration v = env.getProperty(key, Duration.class).orElse(d);
            if (v.isNegative() || v.isZero()) {
                throw new ConfigException(key, v.toString(), "must be positive");
            }
            return v;
        } catch (RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(key, String.valueOf(env.getProperty(key, String.class).orElse("")), "not a duration");
        }
    }

    private static String string(PropertyResolver env, String key, String d) {
        return env.getProperty(key, String.class).filter(s -> !s.isBlank()).map(String::strip).orElse(d);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    public Policy policy(String tenant) {
        return tenant == null ? defaults : tenants.getOrDefault(tenant, defaults);
    }

    /** Tenants named in configuration, plus {@code default}. */
    public Set<String> knownTenants() {
        Set<String> out = new java.util.HashSet<>(tenants.keySet());
        out.add(Tenant.DEFAULT_NAME);
        return out;
    }

    /** Every bounce domain in use (default and per tenant). */
    public Set<String> bounceDomains() {
        Set<String> out = new java.util.HashSet<>();
        if (defaults.bounceDomain() != null) {
            out.add(defaults.bounceDomain());
        }
        tenants.values().forEach(p -> {
            if (p.bounceDomain() != null) {
                out.add(p.bounceDomain());
            }
        });
        return out;
    }

    public String secret() {
        return secret;
    }

    /** Header name carrying the delivery token, or null for none. */
    public String traceHeader() {
        return traceHeader == null || traceHeader.equalsIgnoreCase("none") ? null : traceHeader;
    }

    public String feedbackAddress() {
        return feedbackAddress;
    }

    public String unsubscribeUrl() {
        return unsubscribeUrl;
    }

    public String unsubscribeDomain() {
        return unsubscribeDomain;
    }
}
