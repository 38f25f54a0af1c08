package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.config.DoctorSettings;
import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.deliverability.doctor.SendingSetup.SigningKey;
import io.sluice.daemon.deliverability.doctor.SendingSetup.SourceAddress;
import io.sluice.daemon.egress.signing.DkimSettings;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.daemon.egress.sources.Source;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Gathers a {@link SendingSetup} from the configuration the daemon runs with: the DKIM keys
 * (their domains are From domains), the bounce domains (envelope domains whose MX must be
 * Sluice), {@code sluice.doctor.*}, and the sources of the egress file with their EHLO names.
 * When no envelope domain is configured the envelope sender is the client's own, so the From
 * domains stand in for it.
 */
public final class SetupFromConfig {
    private SetupFromConfig() {
    }

    public static SendingSetup gather(MessageSigner signer, FeedbackSettings feedback, EgressPlan plan,
                                      String defaultEhlo, String smtpHostname, DoctorSettings doctor) {
        List<SigningKey> keys = new ArrayList<>();
        Set<String> from = new LinkedHashSet<>();
        for (MessageSigner.KeyInUse k : signer.keysInUse()) {
            DkimSettings.Signer s = k.settings();
            boolean author = s.role() == DkimSettings.Role.AUTHOR;
            keys.add(new SigningKey(s.domain(), s.selector(), author, s.role() == DkimSettings.Role.ONLY_IF_NO_AUTHOR_DOMAIN_KEY,
                    k.key(), String.valueOf(s.keyFile())));
            if (author) {
                from.add(s.domain());
            }
        }
        from.addAll(doctor.fromDomains());
        Set<String> bounces = new LinkedHashSet<>(feedback.bounceDomains());
        Set<String> envelopes = new LinkedHashSet<>(bounces);
        envelopes.addAll(doctor.envelopeDomains());
        if (envelopes.isEmpty()) {
            envelopes.addAll(from);
        }
        List<SourceAddress> sources = new ArrayList<>();
        for (Source s : plan.sources().values()) {
            sources.add(new SourceAddress(s.name(), s.address(), s.ehloName() != null ? s.ehloName() : defaultEhlo));
        }
        Set<String> inbound = new LinkedHashSet<>(doctor.inboundHosts());
        if (inbound.isEmpty() && smtpHostname != null) {
            inbound.add(smtpHostname);
        }
        return new SendingSetup(keys, signer.usesParentDomain(), from, envelopes, bounces, sources, inbound,
                doctor.dnsblZones());
    }
}
