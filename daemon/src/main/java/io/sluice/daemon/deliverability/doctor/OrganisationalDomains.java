package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.label.OrganisationalDomain;
import java.util.Arrays;
import java.util.Locale;

/**
 * Organisational domains, two ways.
 *
 * <p>{@link #byPublicSuffixList} is RFC 7489's: one label below the longest public suffix, from
 * the Public Suffix List Guava ships and updates with each release (a name under no listed
 * suffix falls to the PSL's default rule "*": its last label is the suffix).
 *
 * <p>{@link #byTreeWalk} is DMARCbis's (draft-ietf-dmarc-dmarcbis, "DNS Tree Walk"): walk from
 * the domain toward the root looking for DMARC records; a {@code psd=n} record marks its domain
 * as the organisational one, a {@code psd=y} record makes the domain one label below it the
 * organisational one, otherwise the shortest name with a record wins; with no record at all
 * the domain is its own. The doctor reports both when they differ, because receivers are
 * moving from the first to the second.
 */
final class OrganisationalDomains {
    /** DMARCbis: a longer name is first shortened to this many labels. */
    private static final int WALK_LABELS = 8;

    private final DmarcLookup dmarc;

    OrganisationalDomains(DmarcLookup dmarc) {
        this.dmarc = dmarc;
    }

    static String byPublicSuffixList(String domain) {
        return OrganisationalDomain.of(domain);
    }

    /** The organisational domain by DMARCbis's tree walk; DNS trouble on the way is skipped over. */
    String byTreeWalk(String domain) {
        String[] labels = domain.toLowerCase(Locale.ROOT).split("\\.");
        if (labels.length > WALK_LABELS) {
            labels = Arrays.copyOfRange(labels, labels.length - (WALK_LABELS - 1), labels.length);
        }
        String shortestWithRecord = null;
        String previous = null;
        for (int start = 0; start < labels.length; start++) {
            String name = String.join(".", Arrays.copyOfRange(labels, start, labels.length));
            if (dmarc.at(name) instanceof DmarcLookup.Found found) {
                if (found.record().psd().isPresent()) {
                    return found.record().psd().get() ? (previous == null ? name : previous) : name;
                }
                shortestWithRecord = name;
            }
            previous = name;
        }
        return shortestWithRecord != null ? shortestWithRecord : domain.toLowerCase(Locale.ROOT);
    }
}
