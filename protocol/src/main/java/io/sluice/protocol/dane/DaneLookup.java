package io.sluice.protocol.dane;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Decides the DANE status of one MX host of one domain (RFC 7672 §2.2), in this order:
 * <ol>
 *   <li>the domain's MX RRset must be secure and name the host (a domain without MX records
 *       stands for itself, RFC 7672 §2.2.1); otherwise {@link DaneStatus.Insecure};</li>
 *   <li>the host's address records (A, else AAAA), with any CNAME chain, must be secure;
 *       otherwise Insecure;</li>
 *   <li>TLSA at {@code _25._tcp.} the CNAME-expanded name, then at the original host name
 *       (RFC 7672 §2.2.2): usable records give {@link DaneStatus.Usable}, only unusable ones
 *       {@link DaneStatus.UnusableOnly}, none or unsigned Insecure.</li>
 * </ol>
 * A bogus or failed answer at any step gives {@link DaneStatus.Bogus}, unless the trust anchor
 * zones themselves no longer validate, which gives {@link DaneStatus.ValidationBroken}.
 *
 * <p>No cache is kept here; the caller keeps results as long as it likes. Safe to share.
 */
public final class DaneLookup {
    private final DnssecLookups dns;

    public DaneLookup(DnssecLookups dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /** Never completes exceptionally; a malformed name is {@link DaneStatus.Bogus} (it cannot be used). */
    public CompletableFuture<DaneStatus> status(String domain, String mxHost) {
        Name domainName;
        Name hostName;
        try {
            domainName = toName(domain);
            hostName = toName(mxHost);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new DaneStatus.Bogus(e.getMessage()));
        }
        return dns.query(domainName, Type.MX).thenCompose(mx -> {
            if (mx.security() != Security.SECURE) {
                return notSecure(mx, "MX RRset of " + text(domainName));
            }
            if (mx.rcode() != Rcode.NOERROR) {
                return done(new DaneStatus.Insecure("MX lookup of " + text(domainName) + ": " + Rcode.string(mx.rcode())));
            }
            List<MXRecord> records = mx.answers(MXRecord.class);
            boolean named = records.isEmpty() ? hostName.equals(domainName)
                    : records.stream().anyMatch(r -> r.getTarget().equals(hostName));
            if (!named) {
                return done(new DaneStatus.Insecure(text(hostName) + " is not in the validated MX RRset of "
                        + text(domainName)));
            }
            return addresses(hostName);
        });
    }

    /* Step 2: A first, AAAA when there is no A; the final CNAME target becomes the TLSA base. */
    private CompletableFuture<DaneStatus> addresses(Name host) {
        return dns.query(host, Type.A).thenCompose(a -> {
            if (a.security() == Security.SECURE && a.rcode() == Rcode.NOERROR && hasType(a, Type.A)) {
                return tlsa(host, finalName(host, a));
            }
            return dns.query(host, Type.AAAA).thenCompose(aaaa -> {
                DnssecAnswer worst = worse(a, aaaa);
                if (worst.security() != Security.SECURE) {
                    return notSecure(worst, "address records of " + text(host));
                }
                if (!hasType(aaaa, Type.AAAA)) {
                    return done(new DaneStatus.Insecure(text(host) + " has no address records"));
                }
                return tlsa(host, finalName(host, aaaa));
            });
        });
    }

    /* Step 3: the expanded name's TLSA first, then the original name's (RFC 7672 §2.2.2). */
    private CompletableFuture<DaneStatus> tlsa(Name host, Name expanded) {
        if (expanded.equals(host)) {
            return tlsaAt(host, host, true);
        }
        return tlsaAt(expanded, host, false).thenCompose(first ->
                first instanceof DaneStatus.Insecure ? tlsaAt(host, host, true) : done(first));
    }

    private CompletableFuture<DaneStatus> tlsaAt(Name base, Name host, boolean last) {
        Name owner;
        try {
            owner = Name.concatenate(Name.fromString("_25._tcp"), base);
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            return done(new DaneStatus.Insecure("TLSA name under " + text(base) + " is too long"));
        }
        return dns.query(owner, Type.TLSA).thenCompose(answer -> {
            if (answer.security() != Security.SECURE) {
                return notSecure(answer, "TLSA RRset " + text(owner));
            }
            List<TlsaRecord> all = new ArrayList<>();
            for (TLSARecord r : answer.answers(TLSARecord.class)) {
                all.add(TlsaRecord.of(r));
            }
            if (all.isEmpty()) {
                return done(new DaneStatus.Insecure("no TLSA records at " + text(owner)));
            }
            List<TlsaRecord> usable = all.stream().filter(TlsaRecord::usable).toList();
            if (usable.isEmpty()) {
                return done(new DaneStatus.UnusableOnly(all, "only unusable TLSA records at " + text(owner)));
            }
            List<String> names = new ArrayList<>(List.of(text(base)));
            if (!host.equals(base)) {
                names.add(text(host));
            }
            return done(new DaneStatus.Usable(usable, names, usable.size() + " usable TLSA records at " + text(owner)));
        });
    }

    /* Insecure stays Insecure; bogus or failed answers become Bogus unless the anchors themselves fail. */
    private CompletableFuture<DaneStatus> notSecure(DnssecAnswer answer, String what) {
        if (answer.security() == Security.INSECURE) {
            return done(new DaneStatus.Insecure(what + " is not signed"));
        }
        String reason = what + (answer.security() == Security.BOGUS ? " is bogus: " : " lookup failed: ") + answer.reason();
        return anchorsValidate().thenApply(healthy -> healthy ? new DaneStatus.Bogus(reason)
                : new DaneStatus.ValidationBroken("the trust anchor zones " + dns.anchorZones()
                        + " do not validate (stripping or broken resolver, or a wrong anchor file); " + reason));
    }

    /* True when at least one anchor zone's DNSKEY RRset validates. */
    private CompletableFuture<Boolean> anchorsValidate() {
        List<CompletableFuture<DnssecAnswer>> probes = new ArrayList<>();
        for (Name zone : dns.anchorZones()) {
            probes.add(dns.query(zone, Type.DNSKEY));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                .thenApply(done -> probes.stream().anyMatch(p -> p.join().security() == Security.SECURE));
    }

    private static DnssecAnswer worse(DnssecAnswer a, DnssecAnswer b) {
        return a.security().compareTo(b.security()) >= 0 ? a : b;
    }

    private static boolean hasType(DnssecAnswer answer, int type) {
        return answer.answers(Record.class).stream().anyMatch(r -> r.getType() == type);
    }

    /* Follows the CNAME chain in the answer section from the host name. */
    private static Name finalName(Name host, DnssecAnswer answer) {
        Name current = host;
        List<CNAMERecord> cnames = answer.answers(CNAMERecord.class);
        for (int hops = 0; hops <= cnames.size(); hops++) {
            Name from = current;
            Name next = cnames.stream().filter(c -> c.getName().equals(from)).map(CNAMERecord::getTarget)
                    .findFirst().orElse(null);
            if (next == null) {
                break;
            }
            current = next;
        }
        return current;
    }

    private static CompletableFuture<DaneStatus> done(DaneStatus status) {
        return CompletableFuture.completedFuture(status);
    }

    static Name toName(String host) {
        Objects.requireNonNull(host, "name");
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        try {
            return Name.fromString(h.endsWith(".") ? h : h + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a host name: " + host);
        }
    }

    static String text(Name name) {
        String s = name.toString(true);
        return s.isEmpty() ? "." : s.toLowerCase(Locale.ROOT);
    }
}
