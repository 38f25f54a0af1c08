package io.sluice.daemon.egress.signing;

import io.sluice.daemon.config.ConfigException;
import io.sluice.dkim.Canonicalization;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DkimKeyException;
import io.sluice.dkim.DkimSigner;
import io.sluice.dkim.SigningIdentity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configured key, loaded and ready to sign: author-domain signers by domain, and the extra
 * signatures with their policy. Immutable; {@link MessageSigner#reload()} builds a new one.
 */
final class SigningKeys {

    /** A ready signer and the settings it came from. */
    record Loaded(DkimSettings.Signer settings, DkimSigner signer) {
    }

    private final boolean useParentDomain;
    private final Map<String, List<Loaded>> byDomain;
    private final List<Loaded> extras;
    private final Set<Canonicalization> bodyCanons;
    private final List<Loaded> all;

    private SigningKeys(boolean useParentDomain, Map<String, List<Loaded>> byDomain, List<Loaded> extras,
                        List<Loaded> all) {
        this.useParentDomain = useParentDomain;
        this.byDomain = byDomain;
        this.extras = extras;
        this.all = all;
        Set<Canonicalization> canons = EnumSet.noneOf(Canonicalization.class);
        all.forEach(l -> canons.add(l.settings().canon().body()));
        this.bodyCanons = Collections.unmodifiableSet(canons);
    }

    /**
     * Reads every key file. Any problem is a {@link ConfigException} naming the config key and the
     * file, e.g. {@code sluice.dkim.domains.example.com.selectors.s1.key-file=/etc/...: DKIM key
     * /etc/...: file not found}.
     */
    static SigningKeys load(DkimSettings settings) {
        Map<String, List<Loaded>> byDomain = new HashMap<>();
        List<Loaded> extras = new ArrayList<>();
        List<Loaded> all = new ArrayList<>();
        for (DkimSettings.Signer s : settings.signers()) {
            Loaded loaded = new Loaded(s, new DkimSigner(identity(s, key(s))));
            all.add(loaded);
            if (s.role() == DkimSettings.Role.AUTHOR) {
                byDomain.computeIfAbsent(s.domain(), d -> new ArrayList<>()).add(loaded);
            } else {
                extras.add(loaded);
            }
        }
        byDomain.replaceAll((d, l) -> List.copyOf(l));
        return new SigningKeys(settings.useParentDomain(), Map.copyOf(byDomain), List.copyOf(extras), List.copyOf(all));
    }

    private static DkimKey key(DkimSettings.Signer s) {
        try {
            return DkimKey.load(s.keyFile());
        } catch (DkimKeyException e) {
            throw new ConfigException(s.configKey() + ".key-file", s.keyFile().toString(), e.getMessage());
        }
    }

    private static SigningIdentity identity(DkimSettings.Signer s, DkimKey key) {
        try {
            return new SigningIdentity(s.domain(), s.selector(), key, s.canon(), s.headers(), s.expiry());
        } catch (IllegalArgumentException e) {
            String what = e.getMessage() == null ? "" : e.getMessage();
            String property = what.contains("header") ? "headers" : what.startsWith("selector") ? "selector"
                    : what.startsWith("domain") ? "domain" : "key-file";
            String value = switch (property) {
                case "headers" -> String.join(",", s.headers());
                case "selector" -> s.selector();
                case "domain" -> s.domain();
                default -> s.keyFile().toString();
            };
            throw new ConfigException(s.configKey() + "." + property, value, what);
        }
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    /** Body canonicalizations some signer uses: the body hashes ingress must compute. */
    Set<Canonicalization> bodyCanons() {
        return bodyCanons;
    }

    List<Loaded> all() {
        return all;
    }

    /**
     * The signers for a message whose From domain is {@code authorDomain} (null when there is none):
     * the author domain's selectors (or, with use-parent-domain, those of the nearest configured
     * parent), then the extra signatures their policy allows.
     */
    List<Loaded> signersFor(String authorDomain) {
        List<Loaded> author = authorDomain == null ? List.of() : authorSigners(authorDomain);
        if (extras.isEmpty()) {
            return author;
        }
        List<Loaded> out = new ArrayList<>(author);
        for (Loaded extra : extras) {
            if (extra.settings().role() == DkimSettings.Role.ALWAYS || author.isEmpty()) {
                out.add(extra);
            }
        }
        return out;
    }

    private List<Loaded> authorSigners(String domain) {
        String d = domain;
        while (true) {
            List<Loaded> l = byDomain.get(d);
            if (l != null) {
                return l;
            }
            int dot = d.indexOf('.');
            // never walk up to a bare TLD: "com" is nobody's organisational domain
            if (!useParentDomain || dot < 0 || d.indexOf('.', dot + 1) < 0) {
                return List.of();
            }
            d = d.substring(dot + 1);
        }
    }
}
