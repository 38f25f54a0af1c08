package io.sluice.daemon.deliverability.doctor;

import io.sluice.protocol.dns.DnsFailure;
import io.sluice.protocol.dns.RecordLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * MTA-STS (RFC 8461 §3.1: TXT {@code _mta-sts.DOMAIN} "v=STSv1; id=...") and TLS-RPT (RFC 8460
 * §3: TXT {@code _smtp._tls.DOMAIN} "v=TLSRPTv1; rua=...") records of each From domain. They
 * protect mail sent to the domain and report TLS trouble; receivers weigh them as signs of a
 * well-run domain, so their absence warns. The HTTPS policy file itself is not fetched.
 */
final class TlsReportingCheck {
    private static final Pattern STS = Pattern.compile("v=STSv1\\s*;\\s*id=[A-Za-z0-9]{1,32}\\s*(;.*)?");
    private static final Pattern TLSRPT = Pattern.compile("v=TLSRPTv1\\s*;\\s*rua=(mailto:[^,;]+@[^,;]+|https://[^,;]+)"
            + "(\\s*,\\s*(mailto:[^,;]+@[^,;]+|https://[^,;]+))*\\s*;?\\s*");

    private final RecordLookup dns;

    TlsReportingCheck(RecordLookup dns) {
        this.dns = dns;
    }

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (String domain : setup.fromDomains()) {
            out.add(record("mta-sts", domain, "_mta-sts." + domain, "v=STSv1", STS,
                    "publish TXT \"v=STSv1; id=" + "20250101" + "\" at _mta-sts." + domain
                            + " and the policy at https://mta-sts." + domain + "/.well-known/mta-sts.txt"));
            out.add(record("tls-rpt", domain, "_smtp._tls." + domain, "v=TLSRPTv1", TLSRPT,
                    "publish TXT \"v=TLSRPTv1; rua=mailto:tls-reports@" + domain + "\" at _smtp._tls." + domain));
        }
        return out;
    }

    private Finding record(String check, String domain, String name, String version, Pattern valid, String fix) {
        List<String> found = new ArrayList<>();
        try {
            for (String txt : dns.txt(name)) {
                if (txt.startsWith(version)) {
                    found.add(txt);
                }
            }
        } catch (DnsFailure e) {
            return Finding.of(check, domain, Verdict.UNKNOWN, "DNS did not answer for " + name + ": " + e.getMessage(),
                    "run the doctor again");
        }
        if (found.isEmpty()) {
            return Finding.of(check, domain, Verdict.WARN, "no " + version + " record at " + name, fix);
        }
        if (found.size() > 1) {
            return Finding.of(check, domain, Verdict.FAIL, found.size() + " " + version + " records at " + name
                    + " (the RFC then ignores them all)", "keep one record");
        }
        if (!valid.matcher(found.get(0)).matches()) {
            return Finding.of(check, domain, Verdict.FAIL, "invalid record at " + name + ": " + found.get(0), fix);
        }
        return Finding.pass(check, domain, "valid record at " + name + ": " + found.get(0));
    }
}
