package io.sluice.protocol.spf;

import io.sluice.protocol.dns.DnsFailure;
import io.sluice.protocol.dns.RecordLookup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 7208's check_host(): may this IP address send mail for this domain?
 *
 * <p>Every mechanism (all, include, a, mx, ptr, ip4, ip6, exists), the {@code redirect} modifier
 * and the macros of §7 (s, l, o, d, i, p, v, h with digit, reverse and delimiter transformers;
 * upper case URL-escapes) are evaluated against DNS, not pattern-matched. Limits of §4.6.4: more
 * than 10 DNS-querying terms (include, a, mx, ptr, exists, redirect) or more than 2 void lookups
 * (an empty answer or NXDOMAIN) give permerror; an mx term whose name has more than 10 MX hosts
 * gives permerror; ptr looks at no more than 10 names. A lookup without a definite answer gives
 * temperror, except in ptr, which then simply does not match (§5.5).
 *
 * <p>The {@code exp} modifier is parsed (a malformed one is still a permerror) but the
 * explanation is not fetched: it is text for a rejecting receiver, and Sluice only evaluates its
 * own senders. Stateless apart from the lookup; safe to share between threads.
 */
public final class SpfEvaluator {
    static final int LOOKUP_LIMIT = 10;
    static final int VOID_LIMIT = 2;
    static final int MX_LIMIT = 10;
    static final int PTR_LIMIT = 10;

    private final RecordLookup dns;

    public SpfEvaluator(RecordLookup dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /**
     * check_host(ip, domain, sender) with the HELO name for the {@code %{h}} macro. An empty
     * sender (a bounce) means {@code postmaster@helo} (§2.4); a sender without a local part
     * gets "postmaster" (§4.3).
     */
    public SpfVerdict checkHost(InetAddress ip, String domain, String sender, String helo) {
        Objects.requireNonNull(ip, "ip");
        String h = helo == null ? "" : helo;
        String s = sender == null || sender.isEmpty() ? "postmaster@" + h : sender;
        int at = s.lastIndexOf('@');
        String local = at <= 0 ? "postmaster" : s.substring(0, at);
        String senderDomain = at < 0 ? s : s.substring(at + 1);
        if (at <= 0) {
            s = local + "@" + senderDomain;
        }
        Evaluation run = new Evaluation(ip, s, local, senderDomain, h);
        try {
            Outcome outcome = run.checkHost(stripDot(domain), 0);
            return new SpfVerdict(outcome.result(), outcome.reason(), run.lookups);
        } catch (Abort abort) {
            return new SpfVerdict(abort.result, abort.getMessage(), run.lookups);
        }
    }

    /** check_host() for a MAIL FROM address: the domain is the sender's (or HELO's for a bounce). */
    public SpfVerdict checkSender(InetAddress ip, String sender, String helo) {
        String domain = sender == null || sender.isEmpty() ? helo : sender.substring(sender.lastIndexOf('@') + 1);
        return checkHost(ip, domain, sender, helo);
    }

    private record Outcome(SpfResult result, String reason) {}

    /** Ends the whole evaluation: limits exceeded, a syntax error or DNS trouble. */
    private static final class Abort extends Exception {
        private static final long serialVersionUID = 1L;
        final SpfResult result;

        Abort(SpfResult result, String message) {
            super(message, null, false, false);
            this.result = result;
        }
    }

    /** One check_host() call with its counters, shared by its includes and redirects. */
    private final class Evaluation {
        private final InetAddress ip;
        private final boolean v4;
        private final String sender;
        private final String local;
        private final String senderDomain;
        private final String helo;
        int lookups;
        int voids;

        Evaluation(InetAddress ip, String sender, String local, String senderDomain, String helo) {
            this.ip = ip;
            this.v4 = ip instanceof Inet4Address;
            this.sender = sender;
            this.local = local;
            this.senderDomain = senderDomain;
            this.helo = helo;
        }

        Outcome checkHost(String domain, int depth) throws Abort {
            if (!wellFormed(domain)) {
                return new Outcome(SpfResult.NONE, "'" + domain + "' is not a domain name");
            }
            List<String> records = new ArrayList<>();
            for (String txt : txt(domain)) {
                if (SpfRecord.isSpf(txt)) {
                    records.add(txt);
                }
            }
            if (records.isEmpty()) {
                return new Outcome(SpfResult.NONE, "no SPF record at " + domain);
            }
            if (records.size() > 1) {
                throw new Abort(SpfResult.PERMERROR, "more than one SPF record at " + domain);
            }
            SpfRecord record;
            try {
                record = SpfRecord.parse(records.get(0));
            } catch (SpfSyntaxException e) {
                throw new Abort(SpfResult.PERMERROR, "syntax error at " + domain + ": " + e.getMessage());
            }
            for (SpfRecord.Directive d : record.directives()) {
                if (d.mechanism().queriesDns()) {
                    countLookup();
                }
                Optional<String> match = matches(d.mechanism(), domain, depth);
                if (match.isPresent()) {
                    String where = match.get().isEmpty() ? "" : " (" + match.get() + ")";
                    return new Outcome(d.qualifier().result, "'" + d.text() + "' at " + domain + where);
                }
            }
            if (record.redirect().isPresent()) {
                countLookup();
                String target = target(record.redirect().get(), domain);
                Outcome redirected = checkHost(target, depth + 1);
                if (redirected.result() == SpfResult.NONE) {
                    throw new Abort(SpfResult.PERMERROR, "redirect=" + target + " from " + domain + " has no SPF record");
                }
                return redirected;
            }
            return new Outcome(SpfResult.NEUTRAL, "no term matched at " + domain);
        }

        /** Empty when the mechanism does not match; else a note for the reason ("" for none). */
        private Optional<String> matches(SpfRecord.Mechanism mechanism, String domain, int depth) throws Abort {
            if (mechanism instanceof SpfRecord.All) {
                return Optional.of("");
            }
            if (mechanism instanceof SpfRecord.Ip ip4or6) {
                return inNetwork(ip, ip4or6.network(), ip4or6.prefix()) ? Optional.of("") : Optional.empty();
            }
            if (mechanism instanceof SpfRecord.Include include) {
                String target = target(include.domain(), domain);
                Outcome inner = checkHost(target, depth + 1);
                return switch (inner.result()) {
                    case PASS -> Optional.of(inner.reason());
                    case FAIL, SOFTFAIL, NEUTRAL -> Optional.empty();
                    case NONE -> throw new Abort(SpfResult.PERMERROR,
                            "include:" + target + " from " + domain + " has no SPF record");
                    case TEMPERROR, PERMERROR -> throw new Abort(inner.result(), inner.reason());
                };
            }
            if (mechanism instanceof SpfRecord.A a) {
                String target = a.domain().isPresent() ? target(a.domain().get(), domain) : domain;
                return anyInNetwork(addresses(target), a.cidr4(), a.cidr6());
            }
            if (mechanism instanceof SpfRecord.Mx mx) {
                String target = mx.domain().isPresent() ? target(mx.domain().get(), domain) : domain;
                List<String> hosts = mx(target);
                if (hosts.size() > MX_LIMIT) {
                    throw new Abort(SpfResult.PERMERROR, target + " has more than " + MX_LIMIT + " MX hosts");
                }
                for (String host : hosts) {
                    Optional<String> hit = anyInNetwork(addresses(host), mx.cidr4(), mx.cidr6());
                    if (hit.isPresent()) {
                        return Optional.of("MX host " + host);
                    }
                }
                return Optional.empty();
            }
            if (mechanism instanceof SpfRecord.Ptr ptr) {
                String target = ptr.domain().isPresent() ? target(ptr.domain().get(), domain) : domain;
                for (String name : validatedNames()) {
                    if (isSameOrUnder(name, target)) {
                        return Optional.of("validated name " + name);
                    }
                }
                return Optional.empty();
            }
            if (mechanism instanceof SpfRecord.Exists exists) {
                String target = target(exists.domain(), domain);
                // §5.7: always an A query, whatever the client's address family.
                return a(target).isEmpty() ? Optional.empty() : Optional.of(target + " exists");
            }
            throw new IllegalStateException("unhandled mechanism " + mechanism);
        }

        private Optional<String> anyInNetwork(List<InetAddress> candidates, int cidr4, int cidr6) {
            for (InetAddress candidate : candidates) {
                if (inNetwork(ip, candidate, v4 ? cidr4 : cidr6)) {
                    return Optional.of("");
                }
            }
            return Optional.empty();
        }

        /* §5.5: PTR names whose A/AAAA records lead back to the client's address, at most 10. */
        private List<String> validatedNames() throws Abort {
            List<String> names;
            try {
                names = dns.ptr(ip);
            } catch (DnsFailure e) {
                return List.of(); // §5.5: a DNS error here means no match
            }
            if (names.isEmpty()) {
                countVoid();
            }
            List<String> validated = new ArrayList<>();
            for (String name : names.subList(0, Math.min(PTR_LIMIT, names.size()))) {
                try {
                    List<InetAddress> back = v4 ? dns.a(name) : dns.aaaa(name);
                    if (back.isEmpty()) {
                        countVoid();
                    }
                    if (back.contains(ip)) {
                        validated.add(name);
                    }
                } catch (DnsFailure e) {
                    // skip this name (§5.5)
                }
            }
            return validated;
        }

        /* §7.3: the p macro, a validated name under the current domain if there is one. */
        private String validatedNameOrUnknown(String domain) {
            try {
                List<String> names = validatedNames();
                for (String name : names) {
                    if (isSameOrUnder(name, domain)) {
                        return name;
                    }
                }
                return names.isEmpty() ? "unknown" : names.get(0);
            } catch (Abort e) {
                return "unknown";
            }
        }

        /* Expands a domain-spec and shortens it to 253 octets from the left (§7.3). */
        private String target(MacroString spec, String domain) {
            String expanded = stripDot(spec.expand(letter -> value(letter, domain)));
            while (expanded.length() > 253 && expanded.indexOf('.') >= 0) {
                expanded = expanded.substring(expanded.indexOf('.') + 1);
            }
            return expanded;
        }

        private String value(char letter, String domain) {
            return switch (letter) {
                case 's' -> sender;
                case 'l' -> local;
                case 'o' -> senderDomain;
                case 'd' -> domain;
                case 'i' -> dotted(ip);
                case 'p' -> validatedNameOrUnknown(domain);
                case 'v' -> v4 ? "in-addr" : "ip6";
                case 'h' -> helo;
                default -> throw new IllegalStateException("macro " + letter + " outside exp");
            };
        }

        private void countLookup() throws Abort {
            lookups++;
            if (lookups > LOOKUP_LIMIT) {
                throw new Abort(SpfResult.PERMERROR, "more than " + LOOKUP_LIMIT + " DNS-querying terms");
            }
        }

        private void countVoid() throws Abort {
            voids++;
            if (voids > VOID_LIMIT) {
                throw new Abort(SpfResult.PERMERROR, "more than " + VOID_LIMIT + " void lookups");
            }
        }

        private List<String> txt(String name) throws Abort {
            try {
                return counted(dns.txt(name));
            } catch (DnsFailure e) {
                throw new Abort(SpfResult.TEMPERROR, e.getMessage());
            }
        }

        private List<InetAddress> a(String name) throws Abort {
            try {
                return counted(dns.a(name));
            } catch (DnsFailure e) {
                throw new Abort(SpfResult.TEMPERROR, e.getMessage());
            }
        }

        private List<InetAddress> addresses(String name) throws Abort {
            try {
                return counted(v4 ? dns.a(name) : dns.aaaa(name));
            } catch (DnsFailure e) {
                throw new Abort(SpfResult.TEMPERROR, e.getMessage());
            }
        }

        private List<String> mx(String name) throws Abort {
            try {
                return counted(dns.mx(name));
            } catch (DnsFailure e) {
                throw new Abort(SpfResult.TEMPERROR, e.getMessage());
            }
        }

        private <T> List<T> counted(List<T> answer) throws Abort {
            if (answer.isEmpty()) {
                countVoid();
            }
            return answer;
        }
    }

    /* §4.3: a name with an empty or over-long label, or a single label, has no SPF record. */
    private static boolean wellFormed(String domain) {
        if (domain.isEmpty() || domain.length() > 253 || domain.indexOf('.') < 0) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }

    private static String stripDot(String name) {
        String s = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return s.toLowerCase(Locale.ROOT);
    }

    static boolean isSameOrUnder(String name, String domain) {
        String n = stripDot(name);
        String d = stripDot(domain);
        return n.equals(d) || n.endsWith("." + d);
    }

    static boolean inNetwork(InetAddress ip, InetAddress network, int prefix) {
        byte[] a = ip.getAddress();
        byte[] b = network.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    /* §7.3: the i macro is dotted-quad for IPv4 and dot-separated nibbles for IPv6. */
    static String dotted(InetAddress ip) {
        byte[] bytes = ip.getAddress();
        StringBuilder out = new StringBuilder();
        if (bytes.length == 4) {
            for (int i = 0; i < 4; i++) {
                out.append(i == 0 ? "" : ".").append(bytes[i] & 0xff);
            }
            return out.toString();
        }
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append('.')
                    .append(Character.forDigit(b & 0xf, 16)).append('.');
        }
        return out.substring(0, out.length() - 1);
    }
}
