package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.deliverability.doctor.SendingSetup.SourceAddress;
import io.sluice.protocol.dns.DnsFailure;
import io.sluice.protocol.dns.RecordLookup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reverse DNS of each source: a PTR whose name resolves back to the address (forward-confirmed
 * reverse DNS, which Gmail and Microsoft require), and an EHLO name equal to that name. DNS that
 * does not answer is "unknown", never "fail".
 */
final class ReverseDnsCheck {
    private final RecordLookup dns;

    ReverseDnsCheck(RecordLookup dns) {
        this.dns = dns;
    }

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (SourceAddress source : setup.sources()) {
            if (source.address() != null) {
                examine(source).forEach(f -> out.add(f.about(source)));
            }
        }
        return out;
    }

    List<Finding> examine(SourceAddress source) {
        String subject = source.describe();
        String ip = source.address().getHostAddress();
        String ehlo = source.ehloName() == null ? "" : source.ehloName().toLowerCase(Locale.ROOT);
        List<String> names;
        try {
            names = dns.ptr(source.address());
        } catch (DnsFailure e) {
            return List.of(Finding.of("fcrdns", subject, Verdict.UNKNOWN, "PTR lookup did not answer: " + e.getMessage(),
                    "run the doctor again; ask the address's provider if the reverse zone keeps failing"));
        }
        if (names.isEmpty()) {
            return List.of(Finding.of("fcrdns", subject, Verdict.FAIL, "no PTR record for " + ip,
                    "ask the provider of " + ip + " to set its PTR to " + (ehlo.isEmpty() ? "the source's EHLO name" : ehlo)
                            + ", a name whose A/AAAA record is " + ip));
        }
        List<String> confirmed = new ArrayList<>();
        boolean unanswered = false;
        for (String name : names) {
            try {
                List<InetAddress> forward = source.address() instanceof Inet4Address ? dns.a(name) : dns.aaaa(name);
                if (forward.contains(source.address())) {
                    confirmed.add(name.toLowerCase(Locale.ROOT));
                }
            } catch (DnsFailure e) {
                unanswered = true;
            }
        }
        List<Finding> out = new ArrayList<>();
        if (!confirmed.isEmpty()) {
            out.add(Finding.pass("fcrdns", subject, "PTR " + String.join(", ", confirmed) + " resolves back to " + ip));
        } else if (unanswered) {
            out.add(Finding.of("fcrdns", subject, Verdict.UNKNOWN, "PTR " + String.join(", ", names)
                    + " found, but its forward lookup did not answer", "run the doctor again"));
            return out;
        } else {
            out.add(Finding.of("fcrdns", subject, Verdict.FAIL, "PTR " + String.join(", ", names)
                    + " does not resolve back to " + ip, "publish an " + (source.address() instanceof Inet4Address ? "A" : "AAAA")
                    + " record " + names.get(0) + " → " + ip + ", or have the PTR changed to a name that has one"));
            return out;
        }
        if (ehlo.isEmpty()) {
            out.add(Finding.of("ehlo", subject, Verdict.WARN, "no EHLO name configured for the source",
                    "set ehlo: " + confirmed.get(0) + " on the source in the egress file"));
        } else if (!confirmed.contains(ehlo)) {
            out.add(Finding.of("ehlo", subject, Verdict.WARN, "EHLO name " + ehlo + " differs from the PTR name "
                    + confirmed.get(0), "set ehlo: " + confirmed.get(0) + " on the source, or change the PTR to " + ehlo));
        } else {
            out.add(Finding.pass("ehlo", subject, "EHLO name " + ehlo + " is the PTR name"));
        }
        return out;
    }
}
