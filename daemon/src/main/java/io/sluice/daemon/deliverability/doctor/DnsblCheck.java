package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.config.DnsblZone;

import io.sluice.daemon.deliverability.doctor.SendingSetup.SourceAddress;
import io.sluice.protocol.dns.DnsFailure;
import io.sluice.protocol.dns.RecordLookup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * DNS block lists (RFC 5782): each source address looked up in each configured zone. A zone is
 * trusted only after its test entries answer as RFC 5782 §5 says (127.0.0.2 listed with one of
 * the zone's documented codes, 127.0.0.1 not listed); a zone that fails them (a public resolver
 * being refused, a dead list) gives "unknown" for every source. Only a documented "listed"
 * answer fails a source; other answers, SERVFAIL and timeouts are "unknown".
 */
final class DnsblCheck {
    private final RecordLookup dns;

    DnsblCheck(RecordLookup dns) {
        this.dns = dns;
    }

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (DnsblZone zone : setup.dnsblZones()) {
            String distrust = testEntries(zone);
            for (SourceAddress source : setup.sources()) {
                if (source.address() == null) {
                    continue;
                }
                String subject = source.describe() + " " + zone.zone();
                if (distrust != null) {
                    out.add(Finding.of("dnsbl", subject, Verdict.UNKNOWN, "zone not trusted: " + distrust,
                            "query the zone through a resolver it serves (many lists refuse public resolvers), "
                                    + "or remove it from sluice.doctor.dnsbl").about(source));
                } else {
                    out.add(examine(zone, source, subject).about(source));
                }
            }
        }
        return out;
    }

    /* null when the zone answers its test entries as documented; else why not. */
    private String testEntries(DnsblZone zone) {
        try {
            List<InetAddress> listed = dns.a("2.0.0.127." + zone.zone());
            if (listed.isEmpty()) {
                return "its test entry 127.0.0.2 is not listed";
            }
            for (InetAddress a : listed) {
                if (!zone.isListedAnswer(a)) {
                    return "its test entry 127.0.0.2 answered " + a.getHostAddress() + ", not a documented listed code";
                }
            }
            List<InetAddress> clean = dns.a("1.0.0.127." + zone.zone());
            if (!clean.isEmpty()) {
                return "it lists 127.0.0.1, which must never be listed (a wildcard or hijacked zone)";
            }
            return null;
        } catch (DnsFailure e) {
            return "its test entry did not answer: " + e.getMessage();
        }
    }

    private Finding examine(DnsblZone zone, SourceAddress source, String subject) {
        String ip = source.address().getHostAddress();
        List<InetAddress> answers;
        try {
            answers = dns.a(reversed(source.address()) + "." + zone.zone());
        } catch (DnsFailure e) {
            return Finding.of("dnsbl", subject, Verdict.UNKNOWN, "lookup did not answer: " + e.getMessage(),
                    "run the doctor again");
        }
        if (answers.isEmpty()) {
            return Finding.pass("dnsbl", subject, ip + " is not listed on " + zone.zone());
        }
        List<String> listed = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (InetAddress a : answers) {
            (zone.isListedAnswer(a) ? listed : other).add(a.getHostAddress());
        }
        if (!listed.isEmpty()) {
            return Finding.of("dnsbl", subject, Verdict.FAIL, ip + " is listed on " + zone.zone() + " (answer "
                            + String.join(", ", listed) + ")",
                    "stop the cause (compromised account, bad list, missing authentication), then request delisting "
                            + "on the operator's site for " + zone.zone() + "; take the source out of its pools meanwhile");
        }
        return Finding.of("dnsbl", subject, Verdict.UNKNOWN, zone.zone() + " answered " + String.join(", ", other)
                        + ", which is not one of its documented listed codes (an error answer)",
                "check the zone's documentation; error answers often mean the resolver is refused");
    }

    /* RFC 5782 §2.1 (IPv4: octets reversed) and §2.4 (IPv6: nibbles reversed). */
    static String reversed(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder out = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = b.length - 1; i >= 0; i--) {
                out.append(b[i] & 0xff).append(i == 0 ? "" : ".");
            }
            return out.toString();
        }
        for (int i = b.length - 1; i >= 0; i--) {
            out.append(Character.forDigit(b[i] & 0xf, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0xf, 16));
            if (i > 0) {
                out.append('.');
            }
        }
        return out.toString();
    }
}
