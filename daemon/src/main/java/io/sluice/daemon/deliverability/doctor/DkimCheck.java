package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.deliverability.doctor.SendingSetup.SigningKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.protocol.dns.DnsFailure;
import io.sluice.protocol.dns.RecordLookup;
import java.util.ArrayList;
import java.util.List;

/**
 * DKIM: the key published at {@code selector._domainkey.domain} is the public half of the
 * configured private key; RSA keys of 2048 bits or more are advised, 1024 warns.
 */
final class DkimCheck {
    static final int ADVISED_RSA_BITS = 2048;

    private final RecordLookup dns;

    DkimCheck(RecordLookup dns) {
        this.dns = dns;
    }

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (SigningKey key : setup.keys()) {
            out.add(examine(key));
        }
        return out;
    }

    private Finding examine(SigningKey key) {
        String name = DnsRecord.recordName(key.selector(), key.domain());
        String subject = name;
        DnsRecord expected = DnsRecord.of(key.key());
        String publish = "publish TXT \"" + expected.txtValue() + "\" at " + name;
        List<String> txts;
        try {
            txts = dns.txt(name);
        } catch (DnsFailure e) {
            return Finding.of("dkim", subject, Verdict.UNKNOWN, "DNS did not answer: " + e.getMessage(),
                    "run the doctor again; check the domain's name servers if it persists");
        }
        String published = null;
        String invalid = null;
        for (String txt : txts) {
            if (!txt.contains("p=")) {
                continue;
            }
            published = txt;
            try {
                DnsRecord record = DnsRecord.parse(txt);
                if (record.matches(key.key())) {
                    return strength(key, subject);
                }
            } catch (IllegalArgumentException bad) {
                invalid = bad.getMessage();
            }
        }
        if (published == null) {
            return Finding.of("dkim", subject, Verdict.FAIL, "no DKIM key record at " + name, publish);
        }
        if (invalid != null) {
            return Finding.of("dkim", subject, Verdict.FAIL, "the record at " + name + " is invalid: " + invalid, publish);
        }
        return Finding.of("dkim", subject, Verdict.FAIL,
                "the key at " + name + " is not the public half of " + key.keyFile() + ": signatures will not verify",
                publish + " (or configure the private key that matches the published one)");
    }

    private static Finding strength(SigningKey key, String subject) {
        int bits = key.key().bits();
        if (!key.rsa()) {
            return Finding.pass("dkim", subject, "published Ed25519 key matches " + key.keyFile()
                    + " (many receivers do not verify Ed25519 yet: keep an RSA signature too)");
        }
        if (bits < ADVISED_RSA_BITS) {
            return Finding.of("dkim", subject, Verdict.WARN,
                    "published key matches " + key.keyFile() + " but RSA " + bits + " bits is weak",
                    "generate a 2048-bit key (sluice dkim keygen), publish it under a new selector, then switch");
        }
        return Finding.pass("dkim", subject, "published key matches " + key.keyFile() + " (RSA " + bits + " bits)");
    }
}
