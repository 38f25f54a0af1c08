package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.outcome.feedback.FeedbackInbox;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.daemon.ingress.DomainCheck;
import io.sluice.daemon.ingress.HeaderSection;
import io.sluice.daemon.ingress.Intake;
import io.sluice.daemon.ingress.KnownPools;
import io.sluice.daemon.ingress.RelayNetworks;
import io.sluice.daemon.egress.window.DeliveryWindow;
import io.sluice.daemon.egress.window.WindowPolicy;
import io.sluice.daemon.egress.window.WindowSyntaxException;
import io.sluice.daemon.ingress.SluiceHeaders;
import io.sluice.daemon.ingress.TenantDomainCheck;
import io.sluice.daemon.ingress.TenantNetworks;
import io.sluice.daemon.ingress.compliance.ComplianceGate;
import io.sluice.daemon.ingress.TenantRates;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.label.SendingDomains;
import io.sluice.daemon.label.Tenant;
import io.sluice.daemon.ingress.TraceHeaders;
import io.sluice.protocol.address.AddressSyntaxException;
import io.sluice.protocol.address.MailAddress;
import io.sluice.queue.Envelope;
import io.sluice.queue.MessageId;
import io.sluice.queue.MessagePieces;
import io.sluice.queue.SpoolException;
import io.sluice.queue.SpoolFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One mail transaction on the SMTP listener: checks the envelope as it arrives (address
 * syntax, relay rights, recipient count), then reads DATA, builds the message as spooled and
 * hands it to {@link Intake}. Every refusal is a precise reply; the session stays usable.
 */
final class IngressSession implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IngressSession.class);
    /** RFC 5321 §6.3: a loop shows as many Received fields; 50 is far past any real path. */
    static final int MAX_RECEIVED = 50;
    static final String ADDRESS_LITERAL_REFUSAL = "address literals are not delivered; use the domain name";

    private final MessageContext context;
    private final Intake intake;
    private final Policy policy;
    private final DomainCheck domains;
    private final TenantRates rates;
    private final TraceHeaders trace;
    private final ReadBuffers buffers;
    private final Clock clock;
    private final long maxMessageBytes;
    private final int maxRecipients;
    private final FeedbackInbox feedback;
    private final FeedbackLimits feedbackLimits;
    private final TenantDomainCheck senders;
    private final ComplianceGate compliance;
    private final List<String> recipients = new ArrayList<>();
    /** Recipients that are the feedback loop's own addresses: processed at DATA, never queued. */
    private final List<String> feedbackRecipients = new ArrayList<>();
    private String sender;
    private final DataReader.DrainBound drainBound;

    /**
     * What differs between listeners: who may relay, and the envelope attributes a session's
     * mail carries (the submission port adds the authenticated user's tenant).
     */
    record Policy(boolean authRequired, Predicate<MessageContext> mayRelay,
                  Function<MessageContext, Map<String, String>> attributes, Labels labels) {
        /** Clients of the relay networks are trusted with any known tenant and pool. */
        static Policy relayNetworks(RelayNetworks relay, KnownPools pools) {
            return relayNetworks(relay, TenantNetworks.none(), pools);
        }

        /**
         * Clients of the relay networks are trusted with any known tenant and pool; clients of a
         * tenant's own relay networks relay too, as that tenant only (issue 18 item 3).
         */
        static Policy relayNetworks(RelayNetworks relay, TenantNetworks bound, KnownPools pools) {
            Function<MessageContext, InetAddress> client = ctx -> ((InetSocketAddress) ctx.getRemoteAddress()).getAddress();
            return new Policy(false, ctx -> relay.contains(client.apply(ctx)) || bound.tenantOf(client.apply(ctx)) != null,
                    ctx -> {
                        String tenant = bound.tenantOf(client.apply(ctx));
                        return tenant == null ? Map.of() : Map.of(Tenant.ATTRIBUTE, tenant);
                    },
                    (ctx, attribute, value) -> {
                        String tenant = bound.tenantOf(client.apply(ctx));
                        if (tenant != null && Tenant.ATTRIBUTE.equals(attribute) && !value.equals(tenant)) {
                            return "5.7.1 X-Sluice-Tenant: clients of sluice.tenants." + tenant
                                    + ".relay-networks send for tenant " + tenant + " only";
                        }
                        return "pool".equals(attribute) && !pools.contains(value)
                                ? "5.7.1 X-Sluice-Pool: unknown pool " + value : null;
                    });
        }
    }

    /** Whether a session may label its mail with an {@code X-Sluice-*} value: null, or the refusal text. */
    @FunctionalInterface
    interface Labels {
        String refusal(MessageContext context, String attribute, String value);
    }

    /** What the SMTP server itself allows: a backstop one past our own limit, which answers first. */
    static int serverRecipientCap(int maxRecipients) {
        return maxRecipients == Integer.MAX_VALUE ? maxRecipients : maxRecipients + 1;
    }

    static boolean authenticated(MessageContext context) {
        return context instanceof Session session && session.isAuthenticated();
    }

    IngressSession(MessageContext context, Intake intake, Policy policy, DomainCheck domains, TenantRates rates,
                   TraceHeaders trace, Clock clock, long maxMessageBytes, int maxRecipients, FeedbackInbox feedback,
                   FeedbackLimits feedbackLimits, TenantDomainCheck senders, ComplianceGate compliance) {
        this(context, intake, policy, domains, rates, trace, clock, maxMessageBytes, maxRecipients, feedback,
                feedbackLimits, senders, compliance, DataReader.DrainBound.UNBOUNDED, ReadBuffers.none());
    }

    IngressSession(MessageContext context, Intake intake, Policy policy, DomainCheck domains, TenantRates rates,
                   TraceHeaders trace, Clock clock, long maxMessageBytes, int maxRecipients, FeedbackInbox feedback,
                   FeedbackLimits feedbackLimits, TenantDomainCheck senders, ComplianceGate compliance,
                   DataReader.DrainBound drainBound) {
        this(context, intake, policy, domains, rates, trace, clock, maxMessageBytes, maxRecipients, feedback,
                feedbackLimits, senders, compliance, drainBound, ReadBuffers.none());
    }

    IngressSession(MessageContext context, Intake intake, Policy policy, DomainCheck domains, TenantRates rates,
                   TraceHeaders trace, Clock clock, long maxMessageBytes, int maxRecipients, FeedbackInbox feedback,
                   FeedbackLimits feedbackLimits, TenantDomainCheck senders, ComplianceGate compliance,
                   DataReader.DrainBound drainBound, ReadBuffers buffers) {
        this.drainBound = drainBound;
        this.buffers = buffers;
        this.context = context;
        this.compliance = compliance;
        this.senders = senders;
        this.feedbackLimits = feedbackLimits;
        this.rates = rates;
        this.domains = domains;
        this.feedback = feedback;
        this.intake = intake;
        this.policy = policy;
        this.trace = trace;
        this.clock = clock;
        this.maxMessageBytes = maxMessageBytes;
        this.maxRecipients = maxRecipients;
    }

    @Override
    public void from(String address) throws RejectException {
        if (policy.authRequired() && !authenticated(context)) {
            throw new RejectException(530, "5.7.0 Authentication required (STARTTLS, then AUTH)");
        }
        // Only a session that may relay sends for a tenant; a stranger (who can reach only the
        // feedback addresses) must not spend the default tenant's budget by opening transactions.
        String tenant = policy.attributes().apply(context).getOrDefault("tenant", TenantRates.DEFAULT_TENANT);
        if (policy.mayRelay().test(context) && !rates.tryAcquire(tenant, 1)) {
            throw new RejectException(451, "4.7.0 Message rate for tenant " + tenant + " exceeded ("
                    + rates.perMinute() + " per minute); try again later");
        }
        if (!address.isEmpty()) {
            try {
                MailAddress.parse(address, true); // SMTPUTF8 is advertised (RFC 6531)
            } catch (AddressSyntaxException e) {
                throw new RejectException(553, "5.1.7 Bad sender address syntax: " + e.getMessage());
            }
            // a submission user's tenant is settled at AUTH: say no to another tenant's domain now
            // (relay clients may still name their tenant in the message: checked at DATA)
            TenantDomainCheck.Foreign foreign = policy.authRequired() ? senders.mailFrom(tenant, address) : null;
            if (foreign != null && foreign.mode() == SendingDomains.Mode.REFUSE) {
                throw new RejectException(550, "5.7.1 <" + address + ">: " + foreign.reason());
            }
        }
        sender = address;
    }

    @Override
    public void recipient(String address) throws RejectException {
        if (recipients.size() >= maxRecipients) {
            throw new RejectException(452, "4.5.3 Too many recipients (at most " + maxRecipients + " per message)");
        }
        MailAddress parsed;
        try {
            parsed = MailAddress.parse(address, true); // SMTPUTF8 is advertised (RFC 6531)
        } catch (AddressSyntaxException e) {
            throw new RejectException(501, "5.1.3 Bad recipient address syntax: " + e.getMessage());
        }
        // bounces, complaints and mailto unsubscribes to our own addresses are taken from anyone
        switch (feedback.route(address)) {
            case INBOX -> {
                // issue 18 item 4: charged once per transaction, at its first feedback recipient
                if (feedbackRecipients.isEmpty() && !feedbackLimits.tryAcquire(clientAddress())) {
                    throw new RejectException(450, "4.7.1 Too much feedback mail from "
                            + clientAddress().getHostAddress() + " (at most " + feedbackLimits.perMinute()
                            + " per minute); try again later");
                }
                feedbackRecipients.add(address);
                return;
            }
            case UNKNOWN -> throw new RejectException(550, "5.1.1 <" + parsed + ">: no such feedback address");
            case ELSEWHERE -> {
            }
        }
        if (!policy.mayRelay().test(context)) {
            throw new RejectException(554, "5.7.1 <" + parsed + ">: Relay access denied");
        }
        if (parsed.isAddressLiteral()) {
            // delivery routes by domain (MX, smarthost, egress rules): a literal would be accepted
            // only to bounce later, so say no while the client can still act on it
            throw new RejectException(550, "5.1.2 <" + parsed + ">: " + ADDRESS_LITERAL_REFUSAL);
        }
        DomainCheck.Verdict verdict = domains.check(parsed.domain());
        if (verdict != DomainCheck.Verdict.ACCEPT) {
            throw new RejectException(verdict.code, verdict.reason(parsed.domain()));
        }
        // "no means no": the session's tenant (the default one for relay clients)
        var suppressed = feedback.suppression(policy.attributes().apply(context).get("tenant"), address);
        if (suppressed.isPresent()) {
            throw new RejectException(550, "5.7.1 <" + parsed + ">: recipient is suppressed ("
                    + suppressed.get().reason().label() + ")");
        }
        recipients.add(address);
    }

    @Override
    public String data(InputStream in) throws RejectException, IOException {
        // mail to the feedback addresses comes from anyone: it is held and parsed within its own,
        // smaller limit (issue 18 item 4), read as it arrives and never buffered past it
        long limit = feedbackRecipients.isEmpty() ? maxMessageBytes
                : Math.min(maxMessageBytes, feedbackLimits.maxMessageBytes());
        DataReader.Result read;
        try {
            read = DataReader.read(in, limit, buffers, drainBound);
        } catch (DataReader.DrainExceeded e) {
            // issue 18 item 6: an oversized message is drained only so far; then answer and close
            throw new org.subethamail.smtp.DropConnectionException(552,
                    "5.3.4 Message too big (limit " + limit + " octets); closing connection");
        }
        try {
            return accept(read, limit);
        } finally {
            // taken by the spool (accept returns only once its writer no longer reads the pieces), or refused
            buffers.release(read.bytes());
        }
    }

    private String accept(DataReader.Result read, long limit) throws RejectException, IOException {
        switch (read.problem()) {
            case TOO_BIG -> throw refuse(552, "5.3.4 Message too big (limit " + limit + " octets)");
            case LINE_TOO_LONG -> throw refuse(550, "5.6.0 Line longer than " + DataReader.MAX_LINE_OCTETS
                    + " octets (RFC 5321 section 4.5.3.1.6)");
            case NONE -> {
            }
        }
        SluiceHeaders.Extracted labelled = SluiceHeaders.extract(read.bytes(), read.length());
        Map<String, String> attributes = new HashMap<>(policy.attributes().apply(context));
        for (Map.Entry<String, String> label : labelled.values().entrySet()) {
            if (label.getKey().equals(WindowPolicy.WINDOW_ATTRIBUTE)) {
                attributes.put(label.getKey(), checkedWindow(label.getValue()));
                continue;
            }
            String header = "X-Sluice-" + Character.toUpperCase(label.getKey().charAt(0)) + label.getKey().substring(1);
            if (!label.getValue().matches("[A-Za-z0-9._-]{1,64}")) {
                throw refuse(550, "5.6.0 " + header + ": 1 to 64 of A-Z a-z 0-9 . _ -");
            }
            String refusal = policy.labels().refusal(context, label.getKey(), label.getValue());
            if (refusal != null) {
                throw refuse(550, refusal);
            }
            attributes.put(label.getKey(), label.getValue());
        }
        HeaderSection headers = HeaderSection.scan(labelled.message(), labelled.length());
        if (headers.receivedCount() > MAX_RECEIVED) {
            throw refuse(554, "5.4.6 Too many Received headers (" + headers.receivedCount() + "): mail loop?");
        }
        if (!feedbackRecipients.isEmpty()) {
            // issue 6: parsed, logged and acted on here; never queued
            String done;
            try {
                done = feedback.receive(List.copyOf(feedbackRecipients), sender,
                        java.util.Arrays.copyOf(read.bytes(), read.length()), clientAddress().getHostAddress());
            } catch (SuppressionStore.DiskFull e) {
                // issue 18 item 12: the suppression it calls for cannot be written now; the sender retries
                LOG.warn("feedback from {} refused: {}", clientAddress(), e.getMessage());
                throw refuse(452, "4.3.1 Insufficient system storage, try again later");
            }
            if (recipients.isEmpty()) {
                return done;
            }
        }
        TenantDomainCheck.Foreign foreign = senders.check(attributes.get(Tenant.ATTRIBUTE), sender,
                labelled.message(), labelled.length());
        if (foreign != null) {
            if (foreign.mode() == SendingDomains.Mode.REFUSE) {
                throw refuse(550, "5.7.1 " + foreign.field().smtpName + ": " + foreign.reason());
            }
            attributes.put(MessageSigner.UNSIGNED_ATTRIBUTE, foreign.unsignedReason());
        }
        // issue 17 item 2: marketing mail meets the bulk-sender rules before it is queued
        ComplianceGate.Verdict gate = compliance.admit(sender, List.copyOf(recipients), clientAddress().getHostAddress(),
                attributes, labelled.message(), labelled.length());
        if (gate.refused()) {
            throw refuse(550, "5.7.1 Marketing mail refused by the compliance gate (" + gate.mode().label() + "): "
                    + shorten(gate.explanation()));
        }
        attributes.putAll(gate.attributes());
        if (gate.message() != labelled.message()) {
            headers = HeaderSection.scan(gate.message(), gate.length());
        }
        ZonedDateTime now = ZonedDateTime.now(clock);
        // pieces over the session thread's read buffers: released (in data()) only after the spool has taken them
        MessagePieces message = trace.pieces(gate.message(), gate.length(), headers, context.getHelo().orElse(null),
                clientAddress().getHostAddress(), protocol(), recipients.size() == 1 ? recipients.get(0) : null, now);
        Envelope envelope = new Envelope(sender, List.copyOf(recipients), now.toInstant(), attributes);
        try {
            MessageId id = intake.accept(envelope, message, clientAddress().getHostAddress());
            return "2.0.0 Ok: queued as " + id.value();
        } catch (SpoolFullException e) {
            throw refuse(452, "4.3.1 Insufficient system storage, try again later");
        } catch (SpoolException e) {
            LOG.error("spool refused a message from {}: {}", clientAddress(), e.toString());
            throw refuse(451, "4.3.0 Temporary spool failure, try again later");
        }
    }

    /** A reply line stays within RFC 5321's 512 octets. */
    private static String shorten(String text) {
        return text.length() <= 400 ? text : text.substring(0, 397) + "...";
    }

    /**
     * Issue 20: an {@code X-Sluice-Window} that could never open is refused now, while the client
     * can still act on it. A window that follows the recipient is refused too: SMTP has no way to
     * give each recipient's zone (the HTTP API's {@code recipients[].time_zone} does).
     */
    private String checkedWindow(String text) throws RejectException {
        DeliveryWindow window;
        try {
            window = DeliveryWindow.parse(text);
        } catch (WindowSyntaxException e) {
            throw refuse(550, "5.6.0 X-Sluice-Window: " + printable(e.getMessage()));
        }
        if (window.recipientZone()) {
            throw refuse(550, "5.6.0 X-Sluice-Window: \"recipient\" needs each recipient's time zone, which only "
                    + "the HTTP API takes (recipients[].time_zone); name an IANA zone such as Europe/Paris");
        }
        return text.strip();
    }

    /* An echo of the client's text in a reply: printable ASCII, one line, not over-long (RFC 5321 §4.5.3.1.5). */
    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 400 ? p.substring(0, 400) + "..." : p;
    }

    /**
     * SubEthaSMTP leaves the transaction open after a refused DATA; RFC 5321 §4.1.1.4 says it is
     * over either way, so end it here or the client's next MAIL would get "503 nested MAIL".
     */
    private RejectException refuse(int code, String text) {
        if (context instanceof Session session) {
            session.resetMailTransaction();
        }
        return new RejectException(code, text);
    }

    private String protocol() {
        boolean tls = context instanceof Session session && session.isTLSStarted();
        boolean auth = context.getAuthenticationHandler().isPresent();
        return "ESMTP" + (tls ? "S" : "") + (auth ? "A" : "");
    }

    private InetAddress clientAddress() {
        return ((InetSocketAddress) context.getRemoteAddress()).getAddress();
    }

    @Override
    public void done() {
    }
}
