package io.sluice.daemon.ingress.smtp;

import io.micronaut.context.annotation.Context;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.FeedbackListenerSettings;
import io.sluice.daemon.config.RelaySettings;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.daemon.outcome.feedback.FeedbackInbox;
import io.sluice.daemon.ingress.DomainCheck;
import io.sluice.daemon.ingress.Intake;
import io.sluice.daemon.ingress.KnownPools;
import io.sluice.daemon.ingress.TenantDomainCheck;
import io.sluice.daemon.ingress.TenantNetworks;
import io.sluice.daemon.ingress.compliance.ComplianceGate;
import io.sluice.daemon.ingress.TenantRates;
import io.sluice.daemon.config.LimitSettings;
import io.sluice.daemon.config.IngressSettings;
import io.sluice.daemon.ingress.RelayNetworks;
import io.sluice.daemon.ingress.TraceHeaders;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The SMTP listener on {@code sluice.smtp.bind}:{@code sluice.smtp.port}. Starts with the
 * application context (after the spool is open), stops before it closes.
 */
@io.micronaut.context.annotation.Requires(notEnv = io.sluice.daemon.config.Environments.CHECK_CONFIG) // check-config opens nothing
@Context
public final class SmtpIngress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpIngress.class);

    private final SMTPServer server;
    private final SessionDeadlines deadlines;
    /** DATA buffers kept per session thread of this listener (issue 14). */
    private final ReadBuffers buffers = new ReadBuffers();

    public SmtpIngress(SmtpSettings settings, RelaySettings relaySettings, Intake intake, DomainCheck domains,
                       TenantRates rates, LimitSettings limitSettings, KnownPools pools, Clock clock,
                       FeedbackInbox feedback, SmtpDrain drain,
                       FeedbackListenerSettings feedbackSettings, TenantDomainCheck senders, ComplianceGate compliance,
                       io.sluice.daemon.config.SmtpDeadlineSettings deadlineSettings,
                       io.micronaut.context.env.Environment environment) {
        FeedbackLimits feedbackLimits = FeedbackLimits.of(feedbackSettings, clock);
        this.deadlines = new SessionDeadlines(deadlineSettings, clock, "relay");
        DataReader.DrainBound drainBound = new DataReader.DrainBound(deadlineSettings.oversizeDrain(),
                deadlineSettings.oversizeDrainTime(), clock);
        ClientLimits limits = new ClientLimits(limitSettings.maxConnectionsPerIp(),
                limitSettings.authFailuresPerMinute(), clock);
        RelayNetworks relay = RelayNetworks.parse("sluice.relay.networks", relaySettings.networks());
        TenantNetworks bound = TenantNetworks.from(environment);
        TraceHeaders trace = new TraceHeaders(settings.hostname());
        InetAddress bind;
        try {
            bind = InetAddress.getByName(settings.bind());
        } catch (UnknownHostException e) {
            throw new ConfigException("sluice.smtp.bind", settings.bind(), "unknown address");
        }
        this.server = SMTPServer.port(settings.port())
                .bindAddress(bind)
                .hostName(settings.hostname())
                .softwareName("Sluice")
                .serverSocketFactory(() -> EnhancedReplies.serverSocket(limits))
                // our own Received header: the built-in one does a reverse lookup per message
                .insertReceivedHeaders(false)
                // address checks happen in IngressSession, with precise replies
                .fromAddressValidator(address -> true)
                .maxConnections(settings.maxConnections())
                // room to queue a whole burst of connects: SubEthaSMTP's default of 50 let the kernel
                // drop the handshakes of a burst, and a client whose connect had completed on its side
                // then waited for a greeting that never came (1,000 clients at once: 721 stranded)
                .backlog(settings.maxConnections())
                // the builder's own default (1,000) would silently cap max-recipients; one more than
                // ours so IngressSession answers first, with its precise 452 4.5.3
                .maxRecipients(IngressSession.serverRecipientCap(settings.maxRecipients()))
                .connectionTimeout((int) settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .sessionHandler(deadlines.around(drain)) // absolute session deadline (issue 18 item 6)
                .messageHandlerFactory(drain.counting(ctx -> new IngressSession(ctx, intake,
                        IngressSession.Policy.relayNetworks(relay, bound, pools), domains, rates, trace, clock,
                        settings.maxMessageBytes(), settings.maxRecipients(), feedback, feedbackLimits, senders, compliance, drainBound, buffers)))
                .build();
        BlockDataCommand.install(server.getCommandHandler(), deadlines, buffers); // DATA and BDAT read in blocks, with deadlines
        server.start();
        LOG.info("SMTP listening on {}:{}", settings.bind(), server.getPortAllocated());
    }

    /** The port actually bound (differs from the setting when that is 0). */
    public int port() {
        return server.getPortAllocated();
    }

    public boolean isListening() {
        return server.isRunning();
    }

    @PreDestroy
    @Override
    public void close() {
        server.stop();
        deadlines.close();
    }
}
