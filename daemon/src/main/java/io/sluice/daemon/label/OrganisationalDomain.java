package io.sluice.daemon.label;

import com.google.common.net.InternetDomainName;

import java.util.Locale;

/**
 * The organisational domain of RFC 7489 §3.2 (DMARC's relaxed alignment), from the Public Suffix
 * List as Guava ships it ({@link InternetDomainName}): the public suffix plus one label. Where the
 * list knows no suffix for a name (a private TLD such as {@code .test}), RFC 7489's default rule
 * "*" applies: the last label is the suffix, so the organisational domain is the last two labels.
 * DMARCbis replaces the list with a DNS tree walk; for ordinary registrations both agree (the
 * doctor reports where they do not). Shared by the compliance gate and the doctor.
 */
public final class OrganisationalDomain {
    private OrganisationalDomain() {
    }

    /** Lower-case organisational domain of an A-label domain; the domain itself when it has one label. */
    public static String of(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            if (name.isPublicSuffix()) {
                return d;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a name Guava accepts (underscores, ...): the default rule below
        }
        int last = d.lastIndexOf('.');
        int before = last < 0 ? -1 : d.lastIndexOf('.', last - 1);
        return before < 0 ? d : d.substring(before + 1);
    }

    /** Relaxed alignment: the same organisational domain. */
    public static boolean aligned(String a, String b) {
        return a != null && b != null && of(a).equals(of(b));
    }
}
