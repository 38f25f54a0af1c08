package io.sluice.daemon.egress.signing;

import io.sluice.daemon.config.ConfigException;
import io.sluice.dkim.CanonPair;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DKIM configuration ({@code sluice.dkim.*}), parsed from flat property names because a map
 * key here is a domain name, which has dots of its own:
 *
 * <pre>
 * sluice.dkim.use-parent-domain                                   false
 * sluice.dkim.domains.DOMAIN.selectors.SELECTOR.key-file          PEM, PKCS#1 or PKCS#8 (required)
 * sluice.dkim.domains.DOMAIN.selectors.SELECTOR.canonicalization  relaxed/relaxed
 * sluice.dkim.domains.DOMAIN.selectors.SELECTOR.headers           the library's default list
 * sluice.dkim.domains.DOMAIN.selectors.SELECTOR.expiry            none (x= omitted)
 * sluice.dkim.extra-signatures.NAME.domain                        (required)
 * sluice.dkim.extra-signatures.NAME.selector                      (required)
 * sluice.dkim.extra-signatures.NAME.key-file                      (required)
 * sluice.dkim.extra-signatures.NAME.policy                        always | only-if-no-author-domain-key
 * sluice.dkim.extra-signatures.NAME.canonicalization/headers/expiry as above
 * </pre>
 *
 * Nothing here reads a key file; {@link SigningKeys} does.
 *
 * @param useParentDomain when the From domain has no keys, walk up its labels to the nearest
 *                        configured domain (mail.example.com signs as example.com)
 */
public record DkimSettings(boolean useParentDomain, List<Signer> signers) {

    public static final String PREFIX = "sluice.dkim.";

    /** When a signer adds its signature. */
    public enum Role {
        /** A selector of the author domain: signs mail whose From domain is (under) its domain. */
        AUTHOR,
        /** An extra signature on every message. */
        ALWAYS,
        /** An extra signature only on messages no author-domain key signs. */
        ONLY_IF_NO_AUTHOR_DOMAIN_KEY
    }

    /**
     * One configured signature.
     *
     * @param configKey the property prefix it came from, for error messages
     * @param headers   the h= list, or empty for the library's default
     * @param expiry    x= lifetime, or null
     */
    public record Signer(String configKey, Role role, String domain, String selector, Path keyFile, CanonPair canon,
                         List<String> headers, Duration expiry) {
    }

    public DkimSettings {
        signers = List.copyOf(signers);
    }

    public static DkimSettings none() {
        return new DkimSettings(false, List.of());
    }

    public boolean enabled() {
        return !signers.isEmpty();
    }

    private static final Pattern DOMAIN_KEY = Pattern.compile("domains\\.(.+)\\.selectors\\.([^.]+)\\.([a-z-]+)");
    private static final Pattern EXTRA_KEY = Pattern.compile("extra-signatures\\.([^.]+)\\.([a-z-]+)");
    private static final List<String> DOMAIN_PROPERTIES = List.of("key-file", "canonicalization", "headers", "expiry");
    private static final List<String> EXTRA_PROPERTIES =
            List.of("domain", "selector", "key-file", "canonicalization", "headers", "expiry", "policy");

    /**
     * Parses properties named without the {@code sluice.dkim.} prefix. Values are strings or, from
     * YAML lists, collections. A property that is not understood is an error: a misspelt key must
     * not silently leave mail unsigned.
     */
    public static DkimSettings parse(Map<String, ?> properties) {
        boolean parent = false;
        Map<String, Map<String, Object>> domainSigners = new TreeMap<>();
        Map<String, Map<String, Object>> extraSigners = new TreeMap<>();
        for (Map.Entry<String, ?> e : new TreeMap<>(properties).entrySet()) {
            String name = e.getKey().replaceFirst("\\[\\d+]$", "");
            Object value = e.getValue();
            Matcher m;
            if (name.equals("use-parent-domain")) {
                parent = parseBoolean(PREFIX + name, value);
            } else if ((m = DOMAIN_KEY.matcher(name)).matches() && DOMAIN_PROPERTIES.contains(m.group(3))) {
                String id = "domains." + m.group(1) + ".selectors." + m.group(2);
                merge(domainSigners.computeIfAbsent(id, k -> new TreeMap<>()), m.group(3), value);
            } else if ((m = EXTRA_KEY.matcher(name)).matches() && EXTRA_PROPERTIES.contains(m.group(2))) {
                String id = "extra-signatures." + m.group(1);
                merge(extraSigners.computeIfAbsent(id, k -> new TreeMap<>()), m.group(2), value);
            } else {
                throw new ConfigException(PREFIX + e.getKey(), text(value), "unknown DKIM setting (expected "
                        + "use-parent-domain, domains.DOMAIN.selectors.SELECTOR." + DOMAIN_PROPERTIES
                        + " or extra-signatures.NAME." + EXTRA_PROPERTIES + ")");
            }
        }
        List<Signer> signers = new ArrayList<>();
        domainSigners.forEach((id, props) -> {
            Matcher m = DOMAIN_KEY.matcher(id + ".key-file");
            m.matches();
            signers.add(signer(PREFIX + id, Role.AUTHOR, m.group(1), m.group(2), props));
        });
        extraSigners.forEach((id, props) -> {
            String key = PREFIX + id;
            String policy = required(key, props, "policy", "always");
            Role role = switch (policy.trim().toLowerCase(Locale.ROOT)) {
                case "always" -> Role.ALWAYS;
                case "only-if-no-author-domain-key" -> Role.ONLY_IF_NO_AUTHOR_DOMAIN_KEY;
                default -> throw new ConfigException(key + ".policy", policy,
                        "must be always or only-if-no-author-domain-key");
            };
            signers.add(signer(key, role, required(key, props, "domain", null),
                    required(key, props, "selector", null), props));
        });
        return new DkimSettings(parent, signers);
    }

    private static Signer signer(String key, Role role, String domain, String selector, Map<String, Object> props) {
        String keyFile = required(key, props, "key-file", null);
        String canonText = required(key, props, "canonicalization", "relaxed/relaxed");
        CanonPair canon;
        try {
            canon = CanonPair.parse(canonText.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ".canonicalization", canonText, e.getMessage()
                    + "; write header/body, e.g. relaxed/relaxed or simple/simple");
        }
        List<String> headers = list(props.get("headers"));
        String expiryText = props.containsKey("expiry") ? text(props.get("expiry")).trim() : "";
        Duration expiry = expiryText.isEmpty() ? null : duration(key + ".expiry", expiryText);
        return new Signer(key, role, domain.trim().toLowerCase(Locale.ROOT), selector.trim(), Path.of(keyFile.trim()),
                canon, headers, expiry);
    }

    private static String required(String key, Map<String, Object> props, String name, String fallback) {
        Object v = props.get(name);
        String s = v == null ? null : text(v);
        if (s == null || s.isBlank()) {
            if (fallback != null) {
                return fallback;
            }
            throw new ConfigException(key + "." + name, s == null ? "" : s, "required");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> props, String name, Object value) {
        Object old = props.get(name);
        if (old instanceof List<?> l && !(value instanceof Collection<?>)) {
            ((List<Object>) l).add(value); // YAML list flattened to name[0], name[1], ...
        } else if (old != null && !(value instanceof Collection<?>)) {
            List<Object> l = new ArrayList<>(List.of(old));
            l.add(value);
            props.put(name, l);
        } else {
            props.put(name, value instanceof Collection<?> c ? new ArrayList<>(c) : value);
        }
    }

    private static List<String> list(Object v) {
        if (v == null) {
            return List.of();
        }
        Collection<?> items = v instanceof Collection<?> c ? c : List.of(v);
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            Arrays.stream(String.valueOf(item).split("[,:\\s]+")).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return List.copyOf(out);
    }

    private static String text(Object v) {
        if (v instanceof Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return v == null ? "" : String.valueOf(v);
    }

    private static boolean parseBoolean(String key, Object v) {
        String s = text(v).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off", "" -> false;
            default -> throw new ConfigException(key, s, "must be true or false");
        };
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 90s} or ISO-8601 ({@code P7D}). */
    static Duration duration(String key, String s) {
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(s.toLowerCase(Locale.ROOT));
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new ConfigException(key, s, "not a duration (e.g. 7d, 12h, P7D)");
            }
        }
        if (d.toSeconds() < 1) {
            throw new ConfigException(key, s, "must be at least one second");
        }
        return d;
    }
}
