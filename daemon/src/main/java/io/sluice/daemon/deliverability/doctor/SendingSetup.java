package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.config.DnsblZone;

import io.sluice.dkim.Algorithm;
import io.sluice.dkim.DkimKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the doctor examines, gathered from the configuration: the DKIM keys, the domains mail is
 * sent as (From), the envelope (MAIL FROM) and bounce domains, the sources of the egress file,
 * the names under which Sluice receives bounces, and the DNS block lists to consult.
 *
 * @param fromDomains     author domains: DMARC, alignment, MTA-STS and TLS-RPT are checked for each
 * @param envelopeDomains MAIL FROM domains: SPF must authorise every source for each
 * @param bounceDomains   VERP return-path domains: their MX must point at Sluice
 * @param inboundHosts    Sluice's own host names or addresses, for the bounce-MX check
 */
public record SendingSetup(List<SigningKey> keys, boolean useParentDomain, Set<String> fromDomains,
                           Set<String> envelopeDomains, Set<String> bounceDomains, List<SourceAddress> sources,
                           Set<String> inboundHosts, List<DnsblZone> dnsblZones) {

    /**
     * One configured DKIM key.
     *
     * @param author  an author-domain key (signs mail From its domain); false for an extra signature
     * @param onlyWithoutAuthorKey an extra signature added only when no author key signs
     */
    public record SigningKey(String domain, String selector, boolean author, boolean onlyWithoutAuthorKey,
                             DkimKey key, String keyFile) {
        public boolean rsa() {
            return key.algorithm() == Algorithm.RSA_SHA256;
        }
    }

    /** A source of the egress file: its name, the address it binds (null: the system's choice), its EHLO name. */
    public record SourceAddress(String name, InetAddress address, String ehloName) {
        public String describe() {
            return address == null ? name : name + " " + address.getHostAddress();
        }
    }

    public SendingSetup {
        keys = List.copyOf(keys);
        fromDomains = lowerSet(fromDomains);
        envelopeDomains = lowerSet(envelopeDomains);
        bounceDomains = lowerSet(bounceDomains);
        sources = List.copyOf(sources);
        inboundHosts = lowerSet(inboundHosts);
        dnsblZones = List.copyOf(dnsblZones);
    }

    /**
     * The setup narrowed to the given domains ({@code sluice doctor --domain D}): D is checked as a
     * From domain; the configured envelope and bounce domains at or under D are kept (D itself
     * stands in as the envelope domain when there is none); the sources are always all checked.
     */
    public SendingSetup only(Set<String> domains) {
        Set<String> wanted = lowerSet(domains);
        Set<String> envelopes = new LinkedHashSet<>();
        for (String e : envelopeDomains) {
            if (atOrUnder(e, wanted)) {
                envelopes.add(e);
            }
        }
        if (envelopes.isEmpty()) {
            envelopes.addAll(wanted);
        }
        Set<String> bounces = new LinkedHashSet<>();
        for (String b : bounceDomains) {
            if (atOrUnder(b, wanted)) {
                bounces.add(b);
            }
        }
        List<SigningKey> wantedKeys = new ArrayList<>();
        for (SigningKey k : keys) {
            if (wanted.contains(k.domain()) || wanted.stream().anyMatch(d -> d.endsWith("." + k.domain()))) {
                wantedKeys.add(k);
            }
        }
        return new SendingSetup(wantedKeys, useParentDomain, wanted, envelopes, bounces, sources, inboundHosts,
                dnsblZones);
    }

    private static boolean atOrUnder(String name, Set<String> domains) {
        return domains.stream().anyMatch(d -> name.equals(d) || name.endsWith("." + d));
    }

    private static Set<String> lowerSet(Set<String> in) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : in) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.endsWith(".")) {
                t = t.substring(0, t.length() - 1);
            }
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return Set.copyOf(out).isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(out);
    }
}
