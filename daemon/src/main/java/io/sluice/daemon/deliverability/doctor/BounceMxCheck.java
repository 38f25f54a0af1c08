package io.sluice.daemon.deliverability.doctor;

import io.sluice.protocol.dns.DnsFailure;
import io.sluice.protocol.dns.RecordLookup;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bounce domains' MX must point at Sluice, or asynchronous bounces and complaints to the
 * VERP addresses never come back. An MX host matches when its name is one of Sluice's inbound
 * host names, or one of its addresses is one of theirs (or a configured address).
 */
final class BounceMxCheck {
    private final RecordLookup dns;

    BounceMxCheck(RecordLookup dns) {
        this.dns = dns;
    }

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (String domain : setup.bounceDomains()) {
            out.add(examine(domain, setup.inboundHosts()));
        }
        return out;
    }

    private Finding examine(String domain, Set<String> inbound) {
        String ours = String.join(", ", inbound);
        List<String> hosts;
        try {
            hosts = dns.mx(domain);
        } catch (DnsFailure e) {
            return Finding.of("bounce-mx", domain, Verdict.UNKNOWN, "MX lookup did not answer: " + e.getMessage(),
                    "run the doctor again");
        }
        if (hosts.isEmpty()) {
            return Finding.of("bounce-mx", domain, Verdict.FAIL, "bounce domain " + domain + " has no MX record",
                    "publish MX 10 " + (inbound.isEmpty() ? "<this host's name>" : inbound.iterator().next()) + " for " + domain);
        }
        List<String> inboundAddresses = new ArrayList<>();
        for (String host : inbound) {
            inboundAddresses.addAll(addressesOf(host));
        }
        for (String host : hosts) {
            if (inbound.contains(host.toLowerCase(Locale.ROOT))) {
                return Finding.pass("bounce-mx", domain, "MX " + host + " is Sluice");
            }
            for (String address : addressesOf(host)) {
                if (inboundAddresses.contains(address)) {
                    return Finding.pass("bounce-mx", domain, "MX " + host + " (" + address + ") is Sluice");
                }
            }
        }
        return Finding.of("bounce-mx", domain, Verdict.FAIL, "MX " + String.join(", ", hosts) + " is not Sluice ("
                        + (ours.isEmpty() ? "no inbound host configured" : ours) + "): bounces will not come back",
                "point the MX of " + domain + " at " + (ours.isEmpty() ? "this host" : ours)
                        + ", or list the MX host in sluice.doctor.inbound-hosts if it forwards to Sluice");
    }

    /* A literal address stands for itself; a name for its A and AAAA records (none if DNS fails). */
    private List<String> addressesOf(String host) {
        List<String> out = new ArrayList<>();
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                out.add(InetAddress.getByName(host).getHostAddress());
            } catch (java.net.UnknownHostException e) {
                // not a literal after all
            }
            return out;
        }
        try {
            dns.a(host).forEach(a -> out.add(a.getHostAddress()));
            dns.aaaa(host).forEach(a -> out.add(a.getHostAddress()));
        } catch (DnsFailure e) {
            // a host we cannot resolve matches by name only
        }
        return out;
    }
}
