package io.sluice.daemon.ingress.smtp;

import io.micronaut.context.annotation.Context;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.FeedbackListenerSettings;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.daemon.config.SubmissionSettings;
import io.sluice.daemon.config.SubmissionUser;
import io.sluice.daemon.outcome.feedback.FeedbackInbox;
import io.sluice.daemon.ingress.DomainCheck;
import io.sluice.daemon.ingress.Intake;
import io.sluice.daemon.ingress.KnownPools;
import io.sluice.daemon.ingress.TenantDomainCheck;
import io.sluice.daemon.ingress.compliance.ComplianceGate;
import io.sluice.daemon.ingress.TenantRates;
import io.sluice.daemon.config.LimitSettings;
import io.sluice.daemon.config.IngressSettings;
import io.sluice.daemon.ingress.TraceHeaders;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.server.SMTPServer;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The submission listener (RFC 6409) on {@code sluice.submission.bind}:{@code port}: STARTTLS
 * first (every command but EHLO/HELO, STARTTLS, NOOP, RSET, QUIT gets {@code 530 5.7.0} before
 * it), then AUTH PLAIN or LOGIN against {@code sluice.submission.users}, then mail — which may go
 * anywhere, because the sender is known. Mail carries the user's tenant as an envelope attribute.
 */
@io.micronaut.context.annotation.Requires(notEnv = io.sluice.daemon.config.Environments.CHECK_CONFIG) // check-config opens nothing
@Context
public final class SubmissionIngress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionIngress.class);

    private final SMTPServer server;
    private final SessionDeadlines deadlines;
    /** DATA buffers kept per session thread of this listener (issue 14). */
    private final ReadBuffers buffers = new ReadBuffers();

    public SubmissionIngress(SubmissionSettings settings, SmtpSettings smtp, List<SubmissionUser> users,
                             Intake intake, DomainCheck domains, TenantRates rates, LimitSettings limitSettings,
                             KnownPools known, Clock clock, FeedbackInbox feedback, SmtpDrain drain,
                             FeedbackListenerSettings feedbackSettings, TenantDomainCheck senders, ComplianceGate compliance,
                             io.sluice.daemon.config.SmtpDeadlineSettings deadlineSettings) {
        if (!settings.enabled()) {
            server = null;
            deadlines = null;
            return;
        }
        this.deadlines = new SessionDeadlines(deadlineSettings, clock, "submission");
        DataReader.DrainBound drainBound = new DataReader.DrainBound(deadlineSettings.oversizeDrain(),
                deadlineSettings.oversizeDrainTime(), clock);
        SubmissionAccounts accounts = new SubmissionAccounts(users,
                new AccountThrottle(limitSettings.authFailuresPerMinute(), clock)); // per account too (issue 18 item 13)
        ClientLimits limits = new ClientLimits(limitSettings.maxConnectionsPerIp(),
                limitSettings.authFailuresPerMinute(), clock);
        TraceHeaders trace = new TraceHeaders(smtp.hostname());
        InetAddress bind;
        try {
            bind = InetAddress.getByName(settings.bind());
        } catch (UnknownHostException e) {
            throw new ConfigException("sluice.submission.bind", settings.bind(), "unknown address");
        }
        SSLContext tls;
        if (settings.tlsCert().isBlank() != settings.tlsKey().isBlank()) {
            throw new ConfigException("sluice.submission.tls-key", settings.tlsKey(),
                    "tls-cert and tls-key are set together or not at all");
        }
        if (settings.tlsCert().isBlank()) {
            LOG.warn("submission: no sluice.submission.tls-cert; using a self-signed certificate (development only)");
            tls = StartTls.selfSigned(smtp.hostname());
        } else {
            tls = StartTls.fromPem(settings.tlsCert(), settings.tlsKey());
        }
        IngressSession.Policy policy = new IngressSession.Policy(true,
                ctx -> IngressSession.authenticated(ctx) && identity(ctx) != null,
                ctx -> accounts.user(identity(ctx)).map(u -> Map.of("tenant", u.tenant())).orElse(Map.of()),
                (ctx, attribute, value) -> {
                    SubmissionUser user = accounts.user(identity(ctx)).orElse(null);
                    if (user == null) {
                        return "5.7.0 Authentication required";
                    }
                    if ("tenant".equals(attribute) && !value.equals(user.tenant())) {
                        return "5.7.1 X-Sluice-Tenant: user " + user.name() + " sends for tenant " + user.tenant() + " only";
                    }
                    if ("pool".equals(attribute) && (!known.contains(value) || !user.pools().contains(value))) {
                        return "5.7.1 X-Sluice-Pool: user " + user.name() + " may not use pool " + value;
                    }
                    return null;
                });
        this.server = SMTPServer.port(settings.port())
                .bindAddress(bind)
                .hostName(smtp.hostname())
                .softwareName("Sluice")
                .serverSocketFactory(() -> EnhancedReplies.serverSocket(limits))
                .enableTLS(true)
                .requireTLS(true)
                .startTlsSocketFactory(EnhancedReplies.startTls(tls))
                .authenticationHandlerFactory(new LimitedAuthentication(new EasyAuthenticationHandlerFactory(accounts), limits))
                .requireAuth(true)
                .insertReceivedHeaders(false)
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
                .messageHandlerFactory(drain.counting(ctx -> new IngressSession(ctx, intake, policy, domains, rates, trace, clock,
                        settings.maxMessageBytes(), settings.maxRecipients(), feedback,
                        FeedbackLimits.of(feedbackSettings, clock), senders, compliance, drainBound, buffers)))
                .build();
        BlockDataCommand.install(server.getCommandHandler(), deadlines, buffers); // DATA and BDAT read in blocks, with deadlines
        server.start();
        LOG.info("submission listening on {}:{} ({} users)", settings.bind(), server.getPortAllocated(), users.size());
    }

    private static String identity(MessageContext ctx) {
        return ctx.getAuthenticationHandler().map(h -> h.getIdentity()).map(Object::toString).orElse(null);
    }

    /** The port actually bound, or -1 when the listener is disabled. */
    public int port() {
        return server == null ? -1 : server.getPortAllocated();
    }

    @PreDestroy
    @Override
    public void close() {
        if (server != null) {
            server.stop();
            deadlines.close();
        }
    }
}
