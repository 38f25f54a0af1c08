package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DeliverySettings;
import io.sluice.daemon.config.DnsSettings;
import io.sluice.daemon.config.DoctorSettings;
import io.sluice.daemon.config.EgressSettings;
import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.protocol.dns.DnsjavaRecordLookup;
import io.sluice.protocol.dns.MxResolver;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The doctor as the daemon and {@code sluice doctor} run it: gathers the setup from the current
 * configuration (the egress file is read afresh each run, so it follows reloads) and examines
 * it with the configured DNS servers. Blocking: never call it on an event-loop thread.
 */
@Singleton
public final class DoctorService {
    private final MessageSigner signer;
    private final FeedbackSettings feedback;
    private final EgressSettings egress;
    private final String defaultEhlo;
    private final String hostname;
    private final DoctorSettings settings;
    private final Doctor doctor;

    public DoctorService(MessageSigner signer, FeedbackSettings feedback, EgressSettings egress, DeliverySettings delivery,
                         SmtpSettings smtp, DoctorSettings settings, DnsSettings dns) {
        this.signer = signer;
        this.feedback = feedback;
        this.egress = egress;
        this.hostname = smtp.hostname();
        this.defaultEhlo = delivery.ehloName() == null || delivery.ehloName().isBlank() ? smtp.hostname() : delivery.ehloName();
        this.settings = settings;
        List<InetSocketAddress> servers;
        try {
            servers = MxResolver.parseServers(String.join(",", dns.servers()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sluice.dns.servers", String.join(",", dns.servers()), e.getMessage());
        }
        this.doctor = new Doctor(new DnsjavaRecordLookup(servers, dns.timeout()), Clock.systemUTC());
    }

    /** What the doctor would examine; narrowed to {@code domains} when any are given. */
    public SendingSetup setup(Set<String> domains) {
        EgressPlan plan = egress.file() == null || egress.file().isBlank()
                ? EgressPlan.implicit() : EgressPlan.load(Path.of(egress.file()));
        SendingSetup all = SetupFromConfig.gather(signer, feedback, plan, defaultEhlo, hostname, settings);
        return domains.isEmpty() ? all : all.only(domains);
    }

    public DoctorReport examine(SendingSetup setup) {
        return doctor.examine(setup);
    }
}
