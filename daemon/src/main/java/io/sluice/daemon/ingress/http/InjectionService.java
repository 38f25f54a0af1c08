package io.sluice.daemon.ingress.http;

import io.sluice.daemon.http.InvalidParam;

import io.sluice.daemon.config.ApiSettings;
import io.sluice.daemon.config.SmtpSettings;
import io.sluice.daemon.ingress.DomainCheck;
import io.sluice.daemon.ingress.HeaderSection;
import io.sluice.daemon.ingress.Intake;
import io.sluice.daemon.ingress.SluiceHeaders;
import io.sluice.daemon.ingress.TenantDomainCheck;
import io.sluice.daemon.ingress.compliance.ComplianceGate;
import io.sluice.daemon.ingress.TenantRates;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.label.SendingDomains;
import io.sluice.daemon.ingress.TraceHeaders;
import io.sluice.queue.Envelope;
import io.sluice.queue.MessageId;
import io.sluice.queue.SpoolException;
import io.sluice.daemon.egress.window.DeliveryWindow;
import io.sluice.daemon.egress.window.WindowPolicy;
import io.sluice.daemon.egress.window.WindowSyntaxException;
import jakarta.inject.Singleton;
import jakarta.mail.MessagingException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a checked {@link InjectionRequest} into spooled messages. Recipients whose domain takes
 * no mail are left out and reported; the rest go in one {@link Intake#acceptAll} batch, so the
 * answer waits for one group commit, not one per message. Personalised requests (a recipient
 * with a name, substitutions or metadata) get one message per recipient; otherwise one message
 * per {@code batch-recipients} recipients.
 */
@Singleton
public final class InjectionService {
    private final Intake intake;
    private final DomainCheck domains;
    private final ApiSettings settings;
    private final TraceHeaders trace;
    private final String hostname;
    private final Clock clock;
    private final TenantRates rates;
    private final io.sluice.daemon.outcome.suppression.SuppressionStore suppressions;

    private final TenantDomainCheck senders;
    private final ComplianceGate compliance;

    public InjectionService(Intake intake, DomainCheck domains, ApiSettings settings, SmtpSettings smtp,
                            TenantRates rates, Clock clock, io.sluice.daemon.outcome.suppression.SuppressionStore suppressions,
                            TenantDomainCheck senders, ComplianceGate compliance) {
        this.compliance = compliance;
        this.senders = senders;
        this.rates = rates;
        this.suppressions = suppressions;
        this.intake = intake;
        this.domains = domains;
        this.settings = settings;
        this.hostname = smtp.hostname();
        this.trace = new TraceHeaders(smtp.hostname());
        this.clock = clock;
    }

    /** A message that exceeds {@code sluice.api.max-message-bytes}. */
    static final class MessageTooLargeException extends Exception {
        MessageTooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    /** MAIL FROM or From outside the tenant's domains, and its mode refuses: 403 naming the field. */
    static final class ForeignDomainException extends Exception {
        private final InvalidParam param;

        ForeignDomainException(InvalidParam param) {
            super(param.reason(), null, false, false);
            this.param = param;
        }

        InvalidParam param() {
            return param;
        }
    }

    /** Marketing mail the compliance gate refuses: 422 naming each rule. */
    static final class NonCompliantException extends Exception {
        private final ComplianceGate.Verdict verdict;

        NonCompliantException(ComplianceGate.Verdict verdict) {
            super(verdict.explanation(), null, false, false);
            this.verdict = verdict;
        }

        ComplianceGate.Verdict verdict() {
            return verdict;
        }
    }

    /** The tenant's messages-per-minute budget does not cover this request: 429. */
    static final class RateLimitedException extends Exception {
        RateLimitedException(String message) {
            super(message, null, false, false);
        }
    }

    InjectionResult inject(InjectionRequest request, String peer)
            throws InvalidRequestException, MessageTooLargeException, RateLimitedException, SpoolException,
            ForeignDomainException, NonCompliantException {
        MessageComposer composer = request.content() instanceof InjectionRequest.Structured s
                ? new MessageComposer(s, request.substitutions(), hostname, settings.maxMessageBytes()) : null;
        SluiceHeaders.Extracted rawLabelled = request.content() instanceof InjectionRequest.Raw r
                ? rawMessage(r.message()) : null;
        byte[] raw = rawLabelled == null ? null : rawLabelled.message();
        String unsigned = checkDomains(request, raw);

        List<InjectionRequest.Recipient> accepted = new ArrayList<>();
        List<InjectionResult.FailedRecipient> failed = new ArrayList<>();
        // issue 6, "no means no": a suppressed recipient is reported as failed ("suppressed (reason)"), not queued
        checkDomains(notSuppressed(request.tenant(), request.recipients(), failed), accepted, failed);
        if (accepted.isEmpty()) {
            return new InjectionResult(0, failed.size(), failed, List.of());
        }

        ZonedDateTime now = ZonedDateTime.now(clock);
        Map<String, String> attributes = new HashMap<>();
        putIfSet(attributes, "tenant", request.tenant());
        putIfSet(attributes, "campaign", request.campaign());
        putIfSet(attributes, "pool", request.pool());
        if (rawLabelled != null) {
            // a raw message may carry its traffic class; the JSON field, when given, wins
            putIfSet(attributes, "class", rawLabelled.values().get("class"));
        }
        putIfSet(attributes, "class", request.messageClass());
        if (request.sendAt() != null) {
            attributes.put("send_at", request.sendAt().toString());
        }
        if (unsigned != null) {
            attributes.put(MessageSigner.UNSIGNED_ATTRIBUTE, unsigned);
        }
        putIfSet(attributes, WindowPolicy.WINDOW_ATTRIBUTE, request.sendWindow() != null ? request.sendWindow()
                : rawLabelled == null ? null : rawLabelled.values().get(WindowPolicy.WINDOW_ATTRIBUTE));
        String sender = request.envelopeSender();
        String tenant = request.tenant() == null ? TenantRates.DEFAULT_TENANT : request.tenant();
        Intake.Batch batch = intake.batch(peer, request.sendAt());
        try {
            List<String> everyone = accepted.stream().map(InjectionRequest.Recipient::email).toList();
            if (composer != null && request.personalised()) {
                boolean[] first = {true};
                renderInChunks(accepted, settings.batchRecipients(), r -> {
                    Map<String, String> own = new HashMap<>(attributes);
                    r.metadata().forEach((k, v) -> own.put("metadata." + k, v));
                    putIfSet(own, WindowPolicy.ZONE_ATTRIBUTE, r.timeZone());
                    // one event per request, not per recipient: the rules read fields no template changes
                    byte[] message = traced(gate(compose(composer, r), sender, everyone, peer, own, first[0]), peer,
                            r.email(), now);
                    first[0] = false;
                    return new Intake.Submission(new Envelope(sender, List.of(r.email()), now.toInstant(), own), message);
                }, batch::append);
            } else {
                Map<String, String> shared = new HashMap<>(attributes);
                byte[] body = gate(composer == null ? raw : compose(composer, accepted.size() == 1 ? accepted.get(0) : null),
                        sender, everyone, peer, shared, true);
                List<Intake.Submission> messages = new ArrayList<>();
                // a recipient's zone is the message's (spool attribute): one message per zone
                for (List<InjectionRequest.Recipient> zoned : byZone(accepted)) {
                    String zone = zoned.get(0).timeZone();
                    Map<String, String> own = shared;
                    if (zone != null) {
                        own = new HashMap<>(shared);
                        own.put(WindowPolicy.ZONE_ATTRIBUTE, zone);
                    }
                    for (int from = 0; from < zoned.size(); from += settings.batchRecipients()) {
                        List<String> chunk = zoned.subList(from, Math.min(zoned.size(), from + settings.batchRecipients()))
                                .stream().map(InjectionRequest.Recipient::email).toList();
                        byte[] message = traced(body, peer, chunk.size() == 1 ? chunk.get(0) : null, now);
                        messages.add(new Intake.Submission(new Envelope(sender, chunk, now.toInstant(), own), message));
                    }
                }
                batch.append(messages);
            }
            // checked once all is built, as before: a refused request spends none of the budget
            if (!rates.tryAcquire(tenant, accepted.size())) {
                throw new RateLimitedException("tenant " + tenant + " may send " + rates.perMinute()
                        + " messages per minute (sluice.limits.messages-per-minute-per-tenant); this request has "
                        + accepted.size() + "; nothing was queued");
            }
        } catch (MessageTooLargeException | RateLimitedException | NonCompliantException | SpoolException
                 | RuntimeException e) {
            batch.abandon(); // what was appended is journaled as removed: nothing of a refused request goes out
            throw e;
        }
        List<MessageId> ids = batch.commit();
        return new InjectionResult(accepted.size(), failed.size(), failed,
                ids.stream().map(MessageId::value).toList());
    }

    /**
     * Issue 17 item 2: the compliance gate on one built message; returns it as it is to be queued
     * and adds the gate's attributes to {@code attributes}.
     */
    private byte[] gate(byte[] message, String sender, List<String> recipients, String peer,
                        Map<String, String> attributes, boolean report) throws NonCompliantException {
        ComplianceGate.Verdict v = report ? compliance.admit(sender, recipients, peer, attributes, message, message.length)
                : compliance.check(sender, attributes, message, message.length);
        if (v.refused()) {
            throw new NonCompliantException(v);
        }
        attributes.putAll(v.attributes());
        return v.message();
    }

    /** Builds one recipient's message. */
    @FunctionalInterface
    interface Renderer {
        Intake.Submission render(InjectionRequest.Recipient recipient) throws MessageTooLargeException, NonCompliantException;
    }

    /** Takes a chunk of built messages (the intake's open batch). */
    @FunctionalInterface
    interface Appender {
        void append(List<Intake.Submission> chunk) throws SpoolException;
    }

    /**
     * Renders personalised messages and appends them {@code chunkSize} at a time (issue 18
     * item 7): a 100,000-recipient request holds one chunk of built messages, not all of them.
     */
    static void renderInChunks(List<InjectionRequest.Recipient> recipients, int chunkSize, Renderer render,
                               Appender out) throws MessageTooLargeException, NonCompliantException, SpoolException {
        List<Intake.Submission> chunk = new ArrayList<>(Math.min(chunkSize, recipients.size()));
        for (InjectionRequest.Recipient r : recipients) {
            chunk.add(render.render(r));
            if (chunk.size() == chunkSize) {
                out.append(chunk);
                chunk = new ArrayList<>(chunkSize); // the appended messages are the spool's now: let them go
            }
        }
        if (!chunk.isEmpty()) {
            out.append(chunk);
        }
    }

    /**
     * Issue 18 item 3: the envelope sender and From must be the tenant's. Returns null, or the
     * reason to leave the mail unsigned (the tenant's {@code unsigned} mode); refuses otherwise.
     */
    private String checkDomains(InjectionRequest request, byte[] raw) throws ForeignDomainException {
        TenantDomainCheck.Foreign foreign = senders.mailFrom(request.tenant(), request.envelopeSender());
        String field = TenantDomainCheck.Field.MAIL_FROM.apiField;
        if (foreign == null) {
            if (raw != null) {
                foreign = senders.from(request.tenant(), raw, raw.length);
                field = "content";
            } else if (request.content() instanceof InjectionRequest.Structured s) {
                byte[] from = ("From: " + s.from() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
                foreign = senders.from(request.tenant(), from, from.length);
                field = TenantDomainCheck.Field.FROM.apiField;
            }
        }
        if (foreign == null) {
            return null;
        }
        if (foreign.mode() == SendingDomains.Mode.REFUSE) {
            String where = field.equals("content") ? "the From field: " : "";
            throw new ForeignDomainException(new InvalidParam(field, where + foreign.reason()));
        }
        return foreign.unsignedReason();
    }

    private List<InjectionRequest.Recipient> notSuppressed(String tenant, List<InjectionRequest.Recipient> recipients,
                                                           List<InjectionResult.FailedRecipient> failed) {
        List<InjectionRequest.Recipient> out = new ArrayList<>(recipients.size());
        for (InjectionRequest.Recipient r : recipients) {
            var entry = suppressions.isSuppressed(tenant, r.email()) ? suppressions.lookup(tenant, r.email())
                    : java.util.Optional.<io.sluice.daemon.outcome.suppression.SuppressionEntry>empty();
            if (entry.isPresent()) {
                failed.add(new InjectionResult.FailedRecipient(r.email(), "suppressed (" + entry.get().reason().label() + ")"));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    private void checkDomains(List<InjectionRequest.Recipient> recipients, List<InjectionRequest.Recipient> accepted,
                              List<InjectionResult.FailedRecipient> failed) {
        Map<String, CompletableFuture<DomainCheck.Verdict>> verdicts = new LinkedHashMap<>();
        for (InjectionRequest.Recipient r : recipients) {
            verdicts.computeIfAbsent(domainOf(r.email()), domains::checkAsync);
        }
        for (InjectionRequest.Recipient r : recipients) {
            String domain = domainOf(r.email());
            DomainCheck.Verdict v = verdicts.get(domain).join();
            if (v == DomainCheck.Verdict.ACCEPT) {
                accepted.add(r);
            } else {
                failed.add(new InjectionResult.FailedRecipient(r.email(), v.code + " " + v.reason(domain)));
            }
        }
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    private byte[] compose(MessageComposer composer, InjectionRequest.Recipient r) throws MessageTooLargeException {
        try {
            return checkSize(composer.compose(r));
        } catch (MessagingException e) {
            throw new IllegalStateException("MIME assembly failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] checkSize(byte[] message) throws MessageTooLargeException {
        if (message.length > settings.maxMessageBytes()) {
            throw new MessageTooLargeException("the message is " + message.length + " octets; the limit is "
                    + settings.maxMessageBytes() + " (sluice.api.max-message-bytes)");
        }
        return message;
    }

    private byte[] traced(byte[] message, String peer, String forRecipient, ZonedDateTime now) {
        HeaderSection headers = HeaderSection.scan(message, message.length);
        return trace.assemble(message, message.length, headers, "api", peer, "HTTP", forRecipient, now);
    }

    /** CRLF line ends, lines of at most 998 octets (RFC 5322 §2.1.1), a header section. */
    /** The raw message less its X-Sluice-* fields (their values beside it), CRLF-normalised and checked. */
    private SluiceHeaders.Extracted rawMessage(String text) throws InvalidRequestException, MessageTooLargeException {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 40 + 2);
        int lineLength = 0;
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
                out.write('\r');
                out.write('\n');
                lineLength = 0;
                continue;
            }
            if (++lineLength > 998) {
                throw new InvalidRequestException(List.of(new InvalidParam("content",
                        "a line is longer than 998 octets (RFC 5322 §2.1.1); encode the body (quoted-printable or base64)")));
            }
            out.write(b);
        }
        if (lineLength > 0) {
            out.write('\r');
            out.write('\n');
        }
        // X-Sluice-* fields are instructions to Sluice (over HTTP: the JSON fields), never mail
        // extract() of an exact-length array returns exact-length messages
        SluiceHeaders.Extracted labelled = SluiceHeaders.extract(out.toByteArray(), out.size());
        byte[] message = labelled.message();
        String window = labelled.values().get(WindowPolicy.WINDOW_ATTRIBUTE);
        if (window != null) {
            checkHeaderWindow(window);
        }
        if (!startsWithHeader(message)) {
            throw new InvalidRequestException(List.of(new InvalidParam("content",
                    "not an RFC 5322 message: it must start with a header field such as \"From: ...\"")));
        }
        return new SluiceHeaders.Extracted(labelled.values(), checkSize(message), message.length);
    }

    /* An X-Sluice-Window field in a raw message counts when send_window is not given; checked as strictly. */
    private static void checkHeaderWindow(String text) throws InvalidRequestException {
        String problem;
        try {
            problem = DeliveryWindow.parse(text).recipientZone()
                    ? "X-Sluice-Window: \"recipient\" needs recipients[].time_zone; use the send_window field" : null;
        } catch (WindowSyntaxException e) {
            problem = "X-Sluice-Window: " + e.getMessage();
        }
        if (problem != null) {
            throw new InvalidRequestException(List.of(new InvalidParam("content", problem)));
        }
    }

    private static boolean startsWithHeader(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            byte b = m[i];
            if (b == ':') {
                return i > 0;
            }
            if (b <= 32 || b >= 127) {
                return false;
            }
        }
        return false;
    }

    /** Recipients grouped by time zone (none is a group too), in order of first appearance. */
    private static java.util.Collection<List<InjectionRequest.Recipient>> byZone(List<InjectionRequest.Recipient> recipients) {
        Map<String, List<InjectionRequest.Recipient>> groups = new LinkedHashMap<>();
        for (InjectionRequest.Recipient r : recipients) {
            groups.computeIfAbsent(r.timeZone() == null ? "" : r.timeZone(), z -> new ArrayList<>()).add(r);
        }
        return groups.values();
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
