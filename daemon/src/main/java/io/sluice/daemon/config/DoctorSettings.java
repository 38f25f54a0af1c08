package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * The sender-health doctor ({@code sluice.doctor.*}). What it checks comes mostly from the rest of
 * the configuration (DKIM keys, bounce domains, the egress file's sources); these add what the
 * configuration cannot know.
 *
 * @param fromDomains     From domains to check besides the DKIM domains (Sluice keeps no record of
 *                        the From domains it has seen)
 * @param envelopeDomains MAIL FROM domains clients use when no bounce domain rewrites them
 * @param inboundHosts    names or addresses where Sluice receives bounces (the bounce domain's MX
 *                        must be one of them); empty: {@code sluice.smtp.hostname}
 * @param dnsbl           block lists, each {@code ZONE LISTED-ANSWERS}, e.g.
 *                        {@code bl.example.org 127.0.0.2,127.0.0.4-127.0.0.7}; none by default
 * @param interval        how often the daemon runs the doctor by itself and emits SourceHealth
 *                        events; 0 (the default): only when asked on /admin/doctor
 */
@ConfigurationProperties("sluice.doctor")
public record DoctorSettings(
        @Bindable(defaultValue = "") List<String> fromDomains,
        @Bindable(defaultValue = "") List<String> envelopeDomains,
        @Bindable(defaultValue = "") List<String> inboundHosts,
        @Bindable(defaultValue = "") List<String> dnsbl,
        @Bindable(defaultValue = "0s") Duration interval) {

    public DoctorSettings {
        fromDomains = clean(fromDomains);
        envelopeDomains = clean(envelopeDomains);
        inboundHosts = clean(inboundHosts);
        dnsbl = clean(dnsbl);
        for (int i = 0; i < dnsbl.size(); i++) {
            try {
                DnsblZone.parse(dnsbl.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("sluice.doctor.dnsbl[" + i + "]", dnsbl.get(i), e.getMessage());
            }
        }
        if (interval == null || interval.isNegative()) {
            throw new ConfigException("sluice.doctor.interval", String.valueOf(interval), "must be 0 (off) or a positive duration");
        }
    }

    /** The block lists, parsed. */
    public List<DnsblZone> dnsblZones() {
        return dnsbl.stream().map(DnsblZone::parse).toList();
    }

    private static List<String> clean(List<String> in) {
        return in == null ? List.of() : in.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
