package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.FeedbackSettings;

import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.outcome.suppression.SuppressionEntry;
import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.daemon.outcome.tokens.DeliveryToken;
import io.sluice.daemon.outcome.tokens.ReturnPaths;
import io.sluice.daemon.outcome.tokens.SentMessages;
import io.sluice.protocol.bounce.BounceParser;
import io.sluice.protocol.bounce.BounceReport;
import io.sluice.protocol.bounce.BouncedRecipient;
import io.sluice.protocol.feedback.FeedbackParser;
import io.sluice.protocol.feedback.FeedbackReport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where mail to the feedback loop's own addresses goes instead of the spool: asynchronous
 * bounces to VERP return paths ({@code b-<token>@<bounce domain>}), ARF complaints to
 * {@code sluice.feedback.address}, and mailto unsubscribes ({@code unsub-<token>@<domain>}).
 * Each is parsed, mapped back to the delivery through its token, logged (OOB, Feedback,
 * Unsubscribe events) and fed to the {@link HygienePolicy}; it is never queued. Auto-replies,
 * human mail, forged or damaged tokens are logged as ignored and suppress nobody. Never throws.
 *
 * <p>A complaint is believed only through a genuine token (VERP in the embedded original's
 * Return-Path, or the trace header); its Original-Rcpt-To then serves to check the token. A
 * report with no token is ignored: anyone can send mail to the feedback address, and an address
 * alone proves nothing.
 */
@Singleton
public final class FeedbackInbox {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackInbox.class);

    /** What the SMTP listener should do with a recipient address. */
    public enum Route {
        /** One of ours: accept from anyone, process at DATA, do not queue. */
        INBOX,
        /** At one of our domains but not a valid address there: 550 5.1.1. */
        UNKNOWN,
        /** Not ours: the normal relay rules apply. */
        ELSEWHERE
    }

    private final FeedbackSettings settings;
    private final ReturnPaths returnPaths;
    private final Function<byte[], BounceReport> bounces;
    private final Function<byte[], Optional<FeedbackReport>> complaints;
    private final HygienePolicy hygiene;
    private final EventLog events;
    private final Clock clock;
    private final SentMessages sent;

    @Inject
    public FeedbackInbox(FeedbackSettings settings, ReturnPaths returnPaths, BounceParser bounces,
                         FeedbackParser complaints, HygienePolicy hygiene, EventLog events, Clock clock,
                         SentMessages sent) {
        this(settings, returnPaths, bounces::parse, complaints::parse, hygiene, events, clock, sent);
    }

    /** With the parsers as functions: what tests use to count how often a message is parsed. */
    public FeedbackInbox(FeedbackSettings settings, ReturnPaths returnPaths, Function<byte[], BounceReport> bounces,
                         Function<byte[], Optional<FeedbackReport>> complaints, HygienePolicy hygiene, EventLog events,
                         Clock clock, SentMessages sent) {
        this.settings = settings;
        this.sent = sent;
        this.returnPaths = returnPaths;
        this.bounces = bounces;
        this.complaints = complaints;
        this.hygiene = hygiene;
        this.events = events;
        this.clock = clock;
    }

    public Route route(String address) {
        if (!returnPaths.enabled() || address == null) {
            return Route.ELSEWHERE;
        }
        String a = address.toLowerCase(Locale.ROOT);
        if (a.equals(settings.feedbackAddress())) {
            return Route.INBOX;
        }
        int at = a.lastIndexOf('@');
        String domain = at < 0 ? "" : a.substring(at + 1);
        boolean bounceDomain = settings.bounceDomains().contains(domain);
        boolean unsubDomain = domain.equals(settings.unsubscribeDomain());
        if (!bounceDomain && !unsubDomain) {
            return Route.ELSEWHERE;
        }
        Optional<DeliveryToken> token = bounceDomain ? ReturnPaths.fromAddress(a, ReturnPaths.BOUNCE_PREFIX)
                : Optional.empty();
        if (token.isEmpty() && unsubDomain) {
            token = ReturnPaths.fromAddress(a, ReturnPaths.UNSUBSCRIBE_PREFIX);
        }
        // issue 18 item 4: a token is checked here, not only at DATA, so a stranger cannot name
        // any number of made-up tokens and have the message read for each
        if (token.isEmpty() || returnPaths.check(token.get()) == ReturnPaths.Check.FORGED) {
            return Route.UNKNOWN;
        }
        return Route.INBOX;
    }

    /** The suppression that refuses {@code address} for {@code tenant}, if any (for RCPT). */
    public Optional<SuppressionEntry> suppression(String tenant, String address) {
        SuppressionStore store = hygiene.store();
        return store.isSuppressed(tenant, address) ? store.lookup(tenant, address) : Optional.empty();
    }

    /**
     * The message as the feedback loop reads it, each parse done at most once however many
     * feedback recipients the message names (issue 18 item 4: it was parsed once per recipient).
     */
    private final class Reading {
        final byte[] message;
        private BounceReport bounce;
        private Optional<FeedbackReport> complaint;

        Reading(byte[] message) {
            this.message = message;
        }

        BounceReport bounce() {
            if (bounce == null) {
                bounce = bounces.apply(message);
            }
            return bounce;
        }

        Optional<FeedbackReport> complaint() {
            if (complaint == null) {
                complaint = complaints.apply(message);
            }
            return complaint;
        }
    }

    /** Processes one mail for the given inbox recipients; returns the text of the 250 reply. */
    public String receive(List<String> recipients, String sender, byte[] message, String peer) {
        Reading reading = new Reading(message);
        for (String rcpt : recipients) {
            try {
                String a = rcpt.toLowerCase(Locale.ROOT);
                if (a.equals(settings.feedbackAddress())) {
                    if (!complaint(a, reading, null)) {
                        // Not a complaint: receivers that lost our return path send DSNs here too.
                        bounce(a, reading);
                    }
                } else if (ReturnPaths.fromAddress(a, ReturnPaths.UNSUBSCRIBE_PREFIX).isPresent()) {
                    mailtoUnsubscribe(a, sender, message);
                } else {
                    bounce(a, reading);
                }
            } catch (RuntimeException e) {
                LOG.warn("feedback mail to {} from {} not processed: {}", rcpt, peer, e.toString());
                publish("OOB", null, null, "ignored", null, rcpt, "unreadable: " + e.getClass().getSimpleName(), null);
            }
        }
        return "2.0.0 Ok: processed, not queued";
    }

    private void bounce(String rcpt, Reading reading) {
        BounceReport report = reading.bounce();
        Optional<DeliveryToken> token = ReturnPaths.fromAddress(rcpt, ReturnPaths.BOUNCE_PREFIX)
                .or(() -> tokenIn(report.originalHeaders()));
        switch (report.kind()) {
            case AUTO_REPLY -> publish("OOB", null, null, "ignored", null, rcpt, "auto-reply (RFC 3834)", null);
            case NOT_BOUNCE -> publish("OOB", null, null, "ignored", null, rcpt, "not a bounce", null);
            case FEEDBACK -> complaint(rcpt, reading, report.feedback());
            case BOUNCE -> {
                List<BouncedRecipient> failures = report.recipients().stream().filter(BouncedRecipient::isFailure).toList();
                if (failures.isEmpty()) {
                    publish("OOB", null, null, "ignored", null, rcpt, "no failed recipient (success or relay report)", null);
                    return;
                }
                List<String> candidates = failures.stream().map(BouncedRecipient::recipient).toList();
                Optional<ReturnPaths.Resolved> delivery = token.flatMap(t -> returnPaths.resolve(t, candidates));
                HygienePolicy.Link link = HygienePolicy.Link.TOKEN;
                if (delivery.isEmpty() && token.isEmpty()) {
                    // No token at all: the original header section's Message-ID, if we sent it to this recipient.
                    delivery = sent.find(report.originalHeaders(), candidates);
                    link = HygienePolicy.Link.MESSAGE_ID;
                }
                if (delivery.isEmpty()) {
                    publish("OOB", null, null, "ignored", null, rcpt,
                            token.isEmpty() ? "no delivery token, no Message-ID of ours" : "token not genuine for the reported recipient", null);
                    return;
                }
                ReturnPaths.Resolved d = delivery.get();
                BouncedRecipient first = failures.stream().filter(f -> d.recipient().equalsIgnoreCase(f.recipient()))
                        .findFirst().orElse(failures.get(0));
                boolean permanent = first.action().equals("failed");
                SuppressionReason applied = hygiene.bounced(d.tenant(), d.recipient(), first.classification(), permanent,
                        "oob", first.diagnostic(), d.messageId() + "#" + d.recipientIndex(), link);
                publish("OOB", d, first, applied != null ? "suppressed" : "recorded",
                        applied == null ? null : applied.label(), rcpt,
                        link == HygienePolicy.Link.MESSAGE_ID ? "matched by Message-ID: " + first.diagnostic() : first.diagnostic(), null);
            }
        }
    }

    /* False when the mail is no feedback report (nothing published then: the caller tries it as a bounce). */
    private boolean complaint(String rcpt, Reading reading, FeedbackReport known) {
        FeedbackReport report = known != null ? known : reading.complaint().orElse(null);
        if (report == null) {
            return false;
        }
        Optional<DeliveryToken> token = tokenIn(report.originalHeaders())
                .or(() -> ReturnPaths.fromAddress(rcpt, ReturnPaths.BOUNCE_PREFIX));
        Optional<ReturnPaths.Resolved> delivery = token.flatMap(t -> returnPaths.resolve(t, report.recipients()));
        if (delivery.isEmpty()) {
            publish("Feedback", null, null, "ignored", null, rcpt,
                    (token.isEmpty() ? "no delivery token" : "token not genuine") + "; type " + report.feedbackType(),
                    report.feedbackType());
            return true;
        }
        ReturnPaths.Resolved d = delivery.get();
        if ("not-spam".equals(report.feedbackType())) {
            publish("Feedback", d, null, "recorded", null, rcpt, report.feedbackType(), report.feedbackType());
            return true;
        }
        boolean suppressed = hygiene.complained(d.tenant(), d.recipient(), "feedback",
                "feedback-type " + report.feedbackType() + " via " + rcpt);
        publish("Feedback", d, null, suppressed ? "suppressed" : "recorded",
                suppressed ? SuppressionReason.COMPLAINT.label() : null, rcpt, report.feedbackType(), report.feedbackType());
        return true;
    }

    private void mailtoUnsubscribe(String rcpt, String sender, byte[] message) {
        DeliveryToken token = ReturnPaths.fromAddress(rcpt, ReturnPaths.UNSUBSCRIBE_PREFIX).orElseThrow();
        List<String> candidates = new ArrayList<>();
        candidates.add(sender);
        String from = field(message, "from");
        if (from != null) {
            int lt = from.lastIndexOf('<');
            int gt = from.lastIndexOf('>');
            candidates.add(lt >= 0 && gt > lt ? from.substring(lt + 1, gt) : from.strip());
        }
        Optional<ReturnPaths.Resolved> delivery = returnPaths.resolve(token, candidates);
        if (delivery.isEmpty()) {
            publish("Unsubscribe", null, null, "ignored", null, rcpt, "token not genuine", null);
            return;
        }
        ReturnPaths.Resolved d = delivery.get();
        hygiene.unsubscribed(d.tenant(), d.recipient(), "unsubscribe", "mailto " + rcpt);
        publish("Unsubscribe", d, null, "suppressed", SuppressionReason.UNSUBSCRIBE.label(), rcpt, "mailto", null);
    }

    private Optional<DeliveryToken> tokenIn(byte[] originalHeaders) {
        if (originalHeaders == null || originalHeaders.length == 0) {
            return Optional.empty();
        }
        Optional<DeliveryToken> viaReturnPath = ReturnPaths.fromAddress(field(originalHeaders, "return-path"),
                ReturnPaths.BOUNCE_PREFIX);
        if (viaReturnPath.isPresent() || settings.traceHeader() == null) {
            return viaReturnPath;
        }
        String trace = field(originalHeaders, settings.traceHeader().toLowerCase(Locale.ROOT));
        return trace == null ? Optional.empty() : DeliveryToken.parse(trace.strip());
    }

    /** The unfolded value of the first header field named {@code name} (lower case), or null. */
    static String field(byte[] message, String name) {
        String text = new String(message, 0, Math.min(message.length, 256 * 1024), StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                return null;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                StringBuilder v = new StringBuilder(line.substring(colon + 1));
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                        && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                    v.append(' ').append(lines[++i].strip());
                }
                return v.toString().strip();
            }
        }
        return null;
    }

    private void publish(String type, ReturnPaths.Resolved d, BouncedRecipient r, String action, String reason,
                         String source, String note, String feedbackType) {
        String recipient = d != null ? d.recipient() : r != null ? r.recipient() : null;
        events.publish(Event.feedback(type, clock.instant(), d == null ? null : d.messageId(),
                d == null ? null : d.recipientIndex(), recipient, d == null ? null : d.tenant(), action, reason, source,
                feedbackType != null && note != null && note.equals(feedbackType) ? "feedback-type " + note : note,
                r == null || r.classification() == null ? null : r.classification().category().label(),
                r == null || r.classification() == null ? null : r.classification().reason()));
    }
}
