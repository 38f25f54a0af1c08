package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.deliverability.doctor.SendingSetup.SigningKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * DMARC alignment of each From domain (RFC 7489 §3.1): with the d= of a DKIM signature Sluice
 * adds to its mail, and with the envelope domain. Only an RSA signature counts for DKIM, since
 * many large receivers do not verify Ed25519 yet. Organisational domains come from the Public
 * Suffix List; where DMARCbis's DNS tree walk would reach a different decision the finding says
 * so and warns.
 */
final class AlignmentCheck {
    private final DmarcLookup dmarc;
    private final OrganisationalDomains orgs;

    AlignmentCheck(DmarcLookup dmarc) {
        this.dmarc = dmarc;
        this.orgs = new OrganisationalDomains(dmarc);
    }

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (String from : setup.fromDomains()) {
            boolean strictDkim = false;
            boolean strictSpf = false;
            if (dmarc.policyFor(from, OrganisationalDomains.byPublicSuffixList(from)) instanceof DmarcLookup.Found f) {
                strictDkim = f.record().strictDkim();
                strictSpf = f.record().strictSpf();
            }
            out.add(dkim(setup, from, strictDkim));
            out.add(spf(setup, from, strictSpf));
        }
        return out;
    }

    private Finding dkim(SendingSetup setup, String from, boolean strict) {
        List<SigningKey> signers = signersFor(setup, from);
        String subject = from;
        if (signers.isEmpty()) {
            return Finding.of("dkim-alignment", subject, Verdict.FAIL, "no DKIM key signs mail from " + from,
                    "configure a key: sluice.dkim.domains." + from + ".selectors.SELECTOR.key-file");
        }
        UnaryOperator<String> psl = OrganisationalDomains::byPublicSuffixList;
        UnaryOperator<String> walk = orgs::byTreeWalk;
        SigningKey rsa = aligned(signers, from, strict, psl, true);
        SigningKey any = aligned(signers, from, strict, psl, false);
        boolean walkAgrees = (aligned(signers, from, strict, walk, true) != null) == (rsa != null);
        String note = walkAgrees ? treeWalkNote(from) : " DMARCbis's DNS tree walk decides differently: organisational domain "
                + orgs.byTreeWalk(from) + " there, " + psl.apply(from) + " by the Public Suffix List.";
        Verdict unlessWalk = walkAgrees ? Verdict.PASS : Verdict.WARN;
        if (rsa != null) {
            return Finding.of("dkim-alignment", subject, unlessWalk, "RSA signature d=" + rsa.domain() + " s="
                    + rsa.selector() + " aligns with From " + from + (strict ? " (adkim=s)" : "") + "." + note,
                    walkAgrees ? "" : "sign with d=" + from + " itself to align under both rules");
        }
        if (any != null) {
            return Finding.of("dkim-alignment", subject, Verdict.FAIL, "only the Ed25519 signature d=" + any.domain()
                    + " aligns with From " + from + "; many receivers do not verify Ed25519 yet." + note,
                    "add an RSA-2048 key for " + from + " (sluice dkim keygen) next to the Ed25519 one");
        }
        return Finding.of("dkim-alignment", subject, Verdict.FAIL, "no signature aligns with From " + from + " (d="
                + String.join(", d=", signers.stream().map(SigningKey::domain).distinct().toList()) + ")." + note,
                "configure a DKIM key for " + from + " or its organisational domain " + psl.apply(from));
    }

    private Finding spf(SendingSetup setup, String from, boolean strict) {
        UnaryOperator<String> psl = OrganisationalDomains::byPublicSuffixList;
        for (String envelope : setup.envelopeDomains()) {
            if (strict ? envelope.equals(from) : psl.apply(envelope).equals(psl.apply(from))) {
                return Finding.pass("spf-alignment", from, "envelope domain " + envelope + " aligns with From " + from
                        + (strict ? " (aspf=s)" : ""));
            }
        }
        return Finding.of("spf-alignment", from, Verdict.WARN, "no envelope domain (" + String.join(", ", setup.envelopeDomains())
                        + ") aligns with From " + from + ": DMARC then rests on DKIM alone",
                "use a bounce domain under " + psl.apply(from) + " (sluice.tenants.T.bounce-domain) for this sender");
    }

    private String treeWalkNote(String from) {
        String walked = orgs.byTreeWalk(from);
        String listed = OrganisationalDomains.byPublicSuffixList(from);
        return walked.equals(listed) ? "" : " (DMARCbis's tree walk gives organisational domain " + walked
                + ", the Public Suffix List " + listed + "; the alignment decision is the same.)";
    }

    private static SigningKey aligned(List<SigningKey> signers, String from, boolean strict, UnaryOperator<String> org,
                                      boolean rsaOnly) {
        for (SigningKey k : signers) {
            if (rsaOnly && !k.rsa()) {
                continue;
            }
            if (strict ? k.domain().equals(from) : org.apply(k.domain()).equals(org.apply(from))) {
                return k;
            }
        }
        return null;
    }

    /* Which keys sign mail From this domain, as egress.signing chooses them. */
    static List<SigningKey> signersFor(SendingSetup setup, String from) {
        List<SigningKey> author = new ArrayList<>();
        String d = from;
        while (true) {
            for (SigningKey k : setup.keys()) {
                if (k.author() && k.domain().equals(d)) {
                    author.add(k);
                }
            }
            if (!author.isEmpty() || !setup.useParentDomain() || d.indexOf('.') < 0) {
                break;
            }
            d = d.substring(d.indexOf('.') + 1);
        }
        List<SigningKey> out = new ArrayList<>(author);
        for (SigningKey k : setup.keys()) {
            if (!k.author() && (!k.onlyWithoutAuthorKey() || author.isEmpty())) {
                out.add(k);
            }
        }
        return out;
    }
}
