package io.sluice.daemon.config;

import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import io.sluice.daemon.label.SendingDomains;
import io.sluice.daemon.label.Tenant;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the tenant-domain binding: {@code sluice.tenants.<name>.domains} (the domains the
 * tenant's mail may carry in MAIL FROM and From, subdomains included) and {@code
 * sluice.tenants.<name>.foreign-domains} ({@code refuse} or {@code unsigned}, default {@code
 * sluice.foreign-domains}, itself {@code refuse}). A bad value is a ConfigException naming its key.
 */
public final class SendingDomainSettings {
    public static final String DEFAULT_MODE_KEY = "sluice.foreign-domains";

    private SendingDomainSettings() {
    }

    /** @param signingDomains the DKIM author domains, owned by {@code default} unless a tenant declares them */
    public static SendingDomains from(PropertyResolver env, Set<String> signingDomains) {
        SendingDomains.Mode defaultMode = mode(env, DEFAULT_MODE_KEY, SendingDomains.Mode.REFUSE);
        Map<String, Set<String>> declared = new HashMap<>();
        Map<String, SendingDomains.Mode> modes = new HashMap<>();
        Map<String, String> claimedBy = new HashMap<>();
        for (String t : env.getPropertyEntries("sluice.tenants")) {
            try {
                Tenant.of(t);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("sluice.tenants." + t, t, e.getMessage());
            }
            String prefix = "sluice.tenants." + t + ".";
            modes.put(t, mode(env, prefix + "foreign-domains", defaultMode));
            if (!env.containsProperty(prefix + "domains")) {
                continue;
            }
            String key = prefix + "domains";
            List<String> list = env.getProperty(key, Argument.listOf(String.class)).orElse(List.of());
            Set<String> own = new LinkedHashSet<>();
            for (String item : list) {
                for (String raw : item.split("[,\\s]+")) {
                    if (raw.isBlank()) {
                        continue;
                    }
                    String d = SendingDomains.normalise(raw);
                    if (d == null || d.indexOf('.') < 0) {
                        throw new ConfigException(key, raw, "not a domain name with at least two labels "
                                + "(e.g. shop.example; subdomains are included)");
                    }
                    String other = claimedBy.putIfAbsent(d, t);
                    if (other != null && !other.equals(t)) {
                        throw new ConfigException(key, raw, "already declared by sluice.tenants." + other
                                + ".domains: a domain belongs to one tenant");
                    }
                    own.add(d);
                }
            }
            if (own.isEmpty()) {
                throw new ConfigException(key, "", "names no domain; leave the key out to declare none");
            }
            declared.put(t, own);
        }
        return new SendingDomains(declared, modes, defaultMode, signingDomains);
    }

    private static SendingDomains.Mode mode(PropertyResolver env, String key, SendingDomains.Mode fallback) {
        String v = env.getProperty(key, String.class).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "refuse" -> SendingDomains.Mode.REFUSE;
            case "unsigned" -> SendingDomains.Mode.UNSIGNED;
            default -> throw new ConfigException(key, v, "must be refuse or unsigned");
        };
    }
}
