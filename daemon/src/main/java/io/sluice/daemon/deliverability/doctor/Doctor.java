package io.sluice.daemon.deliverability.doctor;

import io.sluice.protocol.dns.RecordLookup;
import io.sluice.protocol.spf.SpfEvaluator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs every sender-health check over a {@link SendingSetup} and gathers the findings: SPF,
 * DKIM, DMARC and alignment per domain; address, reverse DNS, EHLO and block lists per source;
 * the bounce domains' MX; MTA-STS and TLS-RPT. Blocks on DNS: call it off event-loop threads.
 * Holds no state between runs.
 */
public final class Doctor {
    private final SpfCheck spf;
    private final DkimCheck dkim;
    private final DmarcCheck dmarc;
    private final AlignmentCheck alignment;
    private final ReverseDnsCheck reverseDns;
    private final SourceAddressCheck sourceAddress;
    private final BounceMxCheck bounceMx;
    private final TlsReportingCheck tlsReporting;
    private final DnsblCheck dnsbl;
    private final Clock clock;

    public Doctor(RecordLookup dns, Clock clock) {
        Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
        DmarcLookup dmarcLookup = new DmarcLookup(dns);
        this.spf = new SpfCheck(new SpfEvaluator(dns));
        this.dkim = new DkimCheck(dns);
        this.dmarc = new DmarcCheck(dmarcLookup);
        this.alignment = new AlignmentCheck(dmarcLookup);
        this.reverseDns = new ReverseDnsCheck(dns);
        this.sourceAddress = new SourceAddressCheck();
        this.bounceMx = new BounceMxCheck(dns);
        this.tlsReporting = new TlsReportingCheck(dns);
        this.dnsbl = new DnsblCheck(dns);
    }

    public DoctorReport examine(SendingSetup setup) {
        List<Finding> findings = new ArrayList<>();
        if (setup.fromDomains().isEmpty() && setup.envelopeDomains().isEmpty()) {
            findings.add(Finding.of("domains", "-", Verdict.WARN, "no sending domain configured: no DKIM key, bounce "
                    + "domain or sluice.doctor.from-domains", "configure DKIM keys, or name domains with --domain"));
        }
        findings.addAll(spf.examine(setup));
        findings.addAll(dkim.examine(setup));
        findings.addAll(dmarc.examine(setup));
        findings.addAll(alignment.examine(setup));
        findings.addAll(bounceMx.examine(setup));
        findings.addAll(tlsReporting.examine(setup));
        findings.addAll(sourceAddress.examine(setup));
        findings.addAll(reverseDns.examine(setup));
        findings.addAll(dnsbl.examine(setup));
        return DoctorReport.of(clock.instant(), findings);
    }
}
