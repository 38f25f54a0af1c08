package io.sluice.protocol.client;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate names a mail server, as RFC 8461 §4.1 (after RFC 6125) says: the DNS
 * names of the subject alternative name only (the subject CN is not a DNS-ID and is ignored), and
 * a wildcard only as the whole left-most label, standing for exactly one label: {@code *.example.com}
 * matches {@code mx.example.com}, not {@code example.com} nor {@code a.b.example.com}.
 */
public final class CertificateNames {
    private static final int DNS_NAME = 2;

    private CertificateNames() {
    }

    /** The certificate's dNSName entries, lower-cased, without trailing dots. */
    public static List<String> dnsNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return names;
        }
        if (sans == null) {
            return names;
        }
        for (List<?> san : sans) {
            if (san.size() >= 2 && san.get(0) instanceof Integer type && type == DNS_NAME
                    && san.get(1) instanceof String name) {
                names.add(normalise(name));
            }
        }
        return names;
    }

    /** True when one of the certificate's DNS names matches {@code host}. */
    public static boolean matches(X509Certificate cert, String host) {
        String wanted = normalise(host);
        for (String name : dnsNames(cert)) {
            if (matches(name, wanted)) {
                return true;
            }
        }
        return false;
    }

    /** One presented name against one reference host, both normalised. */
    static boolean matches(String presented, String host) {
        if (presented.isEmpty() || host.isEmpty()) {
            return false;
        }
        if (presented.startsWith("*.")) {
            String suffix = presented.substring(1); // ".example.com"
            if (suffix.indexOf('*') >= 0 || suffix.chars().filter(c -> c == '.').count() < 2) {
                return false; // "*.com" would match half the Internet
            }
            int firstDot = host.indexOf('.');
            return firstDot > 0 && host.substring(firstDot).equals(suffix);
        }
        return presented.indexOf('*') < 0 && presented.equals(host);
    }

    private static String normalise(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
