package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.deliverability.doctor.SendingSetup.SourceAddress;
import io.sluice.protocol.spf.SpfEvaluator;
import io.sluice.protocol.spf.SpfVerdict;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/** SPF (RFC 7208, evaluated): each envelope domain must authorise each source address. */
final class SpfCheck {
    private final SpfEvaluator spf;

    SpfCheck(SpfEvaluator spf) {
        this.spf = spf;
    }

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (String domain : setup.envelopeDomains()) {
            for (SourceAddress source : setup.sources()) {
                out.add(examine(domain, source).about(source));
            }
        }
        return out;
    }

    private Finding examine(String domain, SourceAddress source) {
        String subject = domain + " " + source.describe();
        if (source.address() == null) {
            return Finding.of("spf", subject, Verdict.UNKNOWN,
                    "source " + source.name() + " binds no address (the system picks one), so SPF cannot be checked for it",
                    "give the source an address in the egress file");
        }
        String ip = source.address().getHostAddress();
        String mechanism = (source.address() instanceof Inet4Address ? "ip4:" : "ip6:") + ip;
        SpfVerdict v = spf.checkHost(source.address(), domain, "postmaster@" + domain, source.ehloName());
        String detail = "SPF " + v.result().word() + ": " + v.reason() + " (" + v.lookups() + " of 10 lookups)";
        return switch (v.result()) {
            case PASS -> v.lookups() > 8
                    ? Finding.of("spf", subject, Verdict.WARN, detail,
                            "the record is close to the 10-lookup limit: flatten includes or use ip4/ip6 terms")
                    : Finding.pass("spf", subject, detail);
            case NONE -> Finding.of("spf", subject, Verdict.FAIL, "no SPF record at " + domain,
                    "publish TXT \"v=spf1 " + mechanism + " -all\" at " + domain);
            case FAIL, SOFTFAIL, NEUTRAL -> Finding.of("spf", subject, Verdict.FAIL, detail,
                    "add " + mechanism + " (or an include: of your provider) to the SPF record of " + domain);
            case PERMERROR -> Finding.of("spf", subject, Verdict.FAIL, detail,
                    "correct the SPF record of " + domain + ": receivers treat a permerror as no SPF at all");
            case TEMPERROR -> Finding.of("spf", subject, Verdict.UNKNOWN, detail,
                    "DNS did not answer; run the doctor again, and check the domain's name servers if it persists");
        };
    }
}
