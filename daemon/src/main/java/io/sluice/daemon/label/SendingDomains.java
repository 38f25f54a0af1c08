package io.sluice.daemon.label;

import java.net.IDN;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which domains each tenant's mail may carry in MAIL FROM and From, and so which domains Sluice
 * signs for on its behalf (issue 18 item 3). A domain covers its subdomains; of two tenants that
 * declare nested domains the more specific declaration owns the names under it.
 *
 * <p>The owner of a domain is the tenant whose declared domain is its longest suffix; a domain
 * no tenant declares but that has a DKIM author key (or lies under one) belongs to {@link
 * Tenant#DEFAULT}; any other domain belongs to nobody. A tenant that declares domains may use
 * only what it owns. A tenant that declares none may use what it owns and what belongs to
 * nobody: so the single-tenant setup (everything is {@code default}) works as before, and a
 * tenant that was never given domains can still send unsigned mail from domains Sluice does not
 * sign for, but never gets a signature for another tenant's domain or a DKIM domain.
 *
 * <p>Immutable; built once from configuration.
 */
public final class SendingDomains {

    /** What happens to a tenant's mail whose MAIL FROM or From domain is not its own. */
    public enum Mode {
        /** Refused at injection (550 5.7.1 over SMTP, 403 over HTTP). */
        REFUSE,
        /** Accepted, and sent without an author-domain DKIM signature. */
        UNSIGNED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, Set<String>> declared;
    /** declared domain → the tenant that declared it */
    private final Map<String, String> owners;
    private final Set<String> signingDomains;
    private final Map<String, Mode> modes;
    private final Mode defaultMode;

    /**
     * @param declared       tenant name → its domains (lower-case, A-labels); tenants absent declare none
     * @param modes          tenant name → mode; tenants absent get {@code defaultMode}
     * @param signingDomains the DKIM author domains (owned by {@code default} unless declared)
     * @throws IllegalArgumentException when two tenants declare the same domain (the message names both)
     */
    public SendingDomains(Map<String, Set<String>> declared, Map<String, Mode> modes, Mode defaultMode,
                          Set<String> signingDomains) {
        Map<String, Set<String>> d = new HashMap<>();
        Map<String, String> o = new HashMap<>();
        declared.forEach((tenant, domains) -> {
            Set<String> own = new TreeSet<>();
            for (String domain : domains) {
                String n = normalise(domain);
                if (n == null) {
                    throw new IllegalArgumentException("not a domain name: " + domain);
                }
                String other = o.putIfAbsent(n, tenant);
                if (other != null && !other.equals(tenant)) {
                    throw new IllegalArgumentException(n + " is declared by tenants " + other + " and " + tenant);
                }
                own.add(n);
            }
            d.put(tenant, Set.copyOf(own));
        });
        this.declared = Map.copyOf(d);
        this.owners = Map.copyOf(o);
        this.modes = Map.copyOf(modes);
        this.defaultMode = defaultMode;
        Set<String> s = new TreeSet<>();
        signingDomains.forEach(x -> s.add(normalise(x)));
        this.signingDomains = Set.copyOf(s);
    }

    /** No declarations: {@code default} may use every domain, other tenants every domain but the DKIM ones. */
    public static SendingDomains undeclared(Set<String> signingDomains) {
        return new SendingDomains(Map.of(), Map.of(), Mode.REFUSE, signingDomains);
    }

    /**
     * Whether mail of {@code tenant} (null: {@code default}) may carry {@code domain}. A null or
     * unparsable domain is nobody's: only a tenant that declares no domains may use it.
     */
    public boolean mayUse(String tenant, String domain) {
        String t = tenant == null || tenant.isBlank() ? Tenant.DEFAULT_NAME : tenant;
        String owner = owner(domain);
        if (declared.containsKey(t)) {
            return t.equals(owner);
        }
        return owner == null || owner.equals(t);
    }

    /** The tenant that owns {@code domain}, or null when nobody does. */
    public String owner(String domain) {
        String d = normalise(domain);
        if (d == null) {
            return null;
        }
        for (String s = d; s != null; s = parent(s)) {
            String owner = owners.get(s);
            if (owner != null) {
                return owner;
            }
        }
        for (String s = d; s != null; s = parent(s)) {
            if (signingDomains.contains(s)) {
                return Tenant.DEFAULT_NAME;
            }
        }
        return null;
    }

    /** The domains a tenant declared (empty when it declared none). */
    public Set<String> declared(String tenant) {
        return declared.getOrDefault(tenant == null ? Tenant.DEFAULT_NAME : tenant, Set.of());
    }

    public Mode mode(String tenant) {
        return modes.getOrDefault(tenant == null ? Tenant.DEFAULT_NAME : tenant, defaultMode);
    }

    /** Lower-case A-labels without a final dot; null for what is not a domain name. */
    public static String normalise(String domain) {
        if (domain == null) {
            return null;
        }
        String d = domain.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.startsWith("[")) {
            return null;
        }
        // Checked by hand, not by String.matches: this runs for MAIL FROM and From of every
        // message, and a regex compiled per call was 14 % of ingress allocation (issue 14).
        if (!isAscii(d)) {
            try {
                d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        d = d.toLowerCase(Locale.ROOT);
        return isHostName(d) ? d : null;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Dot-separated labels of letters, digits, '_' and '-', a label neither starting nor ending with '-', at most 63 long. */
    private static boolean isHostName(String d) {
        int labelStart = 0;
        for (int i = 0; i <= d.length(); i++) {
            char c = i < d.length() ? d.charAt(i) : '.';
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0 || len > 63 || d.charAt(labelStart) == '-' || d.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String parent(String d) {
        int dot = d.indexOf('.');
        return dot < 0 ? null : d.substring(dot + 1);
    }
}
