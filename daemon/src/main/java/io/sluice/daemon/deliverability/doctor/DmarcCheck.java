package io.sluice.daemon.deliverability.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * DMARC (RFC 7489): for each From domain, a valid record at the domain or its organisational
 * domain, its policy, and an aggregate-report address.
 */
final class DmarcCheck {
    private final DmarcLookup dmarc;

    DmarcCheck(DmarcLookup dmarc) {
        this.dmarc = dmarc;
    }

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (String domain : setup.fromDomains()) {
            out.addAll(examine(domain));
        }
        return out;
    }

    private List<Finding> examine(String domain) {
        String org = OrganisationalDomains.byPublicSuffixList(domain);
        String suggested = "v=DMARC1; p=none; rua=mailto:dmarc-reports@" + org;
        DmarcLookup.Answer answer = dmarc.policyFor(domain, org);
        if (answer instanceof DmarcLookup.Unanswered u) {
            return List.of(Finding.of("dmarc", domain, Verdict.UNKNOWN, "DNS did not answer for _dmarc." + u.domain()
                    + ": " + u.problem(), "run the doctor again; check the domain's name servers if it persists"));
        }
        if (answer instanceof DmarcLookup.Absent) {
            String where = org.equals(domain) ? "_dmarc." + domain : "_dmarc." + domain + " or _dmarc." + org;
            return List.of(Finding.of("dmarc", domain, Verdict.FAIL, "no DMARC record at " + where
                    + " (Gmail, Yahoo and Microsoft require one from bulk senders)",
                    "publish TXT \"" + suggested + "\" at _dmarc." + org));
        }
        if (answer instanceof DmarcLookup.Invalid bad) {
            return List.of(Finding.of("dmarc", domain, Verdict.FAIL, "invalid DMARC record at _dmarc." + bad.domain()
                    + ": " + bad.problem(), "replace it with one valid record, e.g. \"" + suggested + "\""));
        }
        DmarcLookup.Found found = (DmarcLookup.Found) answer;
        DmarcRecord r = found.record();
        String at = "_dmarc." + found.domain();
        List<Finding> out = new ArrayList<>();
        out.add(Finding.pass("dmarc", domain, "valid record at " + at + ": " + found.text()));
        // The record of the organisational domain governs a subdomain through sp= when present.
        String policy = !found.domain().equals(domain) && r.subdomainPolicy().isPresent()
                ? r.subdomainPolicy().get() : r.policy();
        if (policy.equals("none")) {
            out.add(Finding.of("dmarc-policy", domain, Verdict.WARN, "policy none: receivers report but do not act",
                    "once the aggregate reports show all your mail aligned, move to p=quarantine, then p=reject"));
        } else {
            out.add(Finding.pass("dmarc-policy", domain, "policy " + policy));
        }
        if (r.aggregate().isEmpty()) {
            out.add(Finding.of("dmarc-rua", domain, Verdict.WARN, "no rua=: nobody receives the aggregate reports",
                    "add rua=mailto:ADDRESS to the record at " + at));
        } else {
            out.add(Finding.pass("dmarc-rua", domain, "aggregate reports go to " + String.join(", ", r.aggregate())));
        }
        return out;
    }
}
