package io.sluice.protocol.dane;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The name check of DANE-TA (RFC 7672 §3.2.3): the leaf must carry one of the reference names in
 * a subjectAltName dNSName, or, only when it has no dNSName at all, in its subject common name.
 * Comparison ignores case and a trailing dot; a wildcard is allowed only as the whole leftmost
 * label and matches exactly one label ({@code *.example.com} matches {@code mx.example.com},
 * not {@code example.com} nor {@code a.b.example.com}).
 */
final class ReferenceNames {
    private static final int DNS_NAME = 2;

    private ReferenceNames() {
    }

    /** Null when the leaf carries a reference name; otherwise what it carries instead. */
    static String check(X509Certificate leaf, List<String> referenceNames) {
        List<String> presented = presented(leaf);
        for (String reference : referenceNames) {
            String ref = normalise(reference);
            for (String name : presented) {
                if (matches(normalise(name), ref)) {
                    return null;
                }
            }
        }
        return "the leaf names " + presented + ", none of " + referenceNames;
    }

    static boolean matches(String presented, String reference) {
        if (presented.isEmpty() || reference.isEmpty()) {
            return false;
        }
        if (presented.startsWith("*.")) {
            int dot = reference.indexOf('.');
            return dot > 0 && reference.substring(dot + 1).equals(presented.substring(2))
                    && presented.substring(2).contains(".");
        }
        return presented.equals(reference);
    }

    private static List<String> presented(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alt = leaf.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == DNS_NAME
                            && entry.get(1) instanceof String dns) {
                        names.add(dns);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return names;
        }
        if (names.isEmpty()) {
            names.addAll(commonNames(leaf.getSubjectX500Principal()));
        }
        return names;
    }

    private static List<String> commonNames(X500Principal subject) {
        List<String> cns = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String cn) {
                    cns.add(cn);
                }
            }
        } catch (InvalidNameException e) {
            return cns;
        }
        return cns;
    }

    private static String normalise(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
