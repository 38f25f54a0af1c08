package io.sluice.daemon.ingress.compliance;

import io.sluice.daemon.label.OrganisationalDomain;

import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.ingress.TenantDomainCheck;
import io.sluice.daemon.label.Tenant;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The compliance gate for marketing mail (issue 17 item 2): mail with a campaign or {@code
 * class: marketing}, never {@code class: transactional}, must carry a one-click unsubscribe
 * (its own https List-Unsubscribe with List-Unsubscribe-Post, or Sluice's pair added at send
 * time), both covered and over-signed by every DKIM signature, a From domain the tenant owns and
 * aligned with a DKIM domain Sluice signs it with, a Date and a Message-ID. The tenant's {@link
 * GateMode} decides what a failure does. Passing marketing mail gets Sluice's {@code Feedback-ID}
 * (any the client set is replaced: under Sluice's sender id, only Sluice may name tenants).
 * Stateless and thread-safe; one check per message, one scan of its header section.
 */
@Singleton
public final class ComplianceGate {
    /** Envelope attribute and JSON field value that make mail marketing mail. */
    public static final String MARKETING = "marketing";
    public static final String TRANSACTIONAL = "transactional";
    /**
     * The envelope attribute that switches Sluice's own List-Unsubscribe pair on for one message
     * (outcome.tokens.DeliveryHeaders reads it at send time).
     */
    static final String UNSUBSCRIBE_ATTRIBUTE = "list-unsubscribe";

    /** A rule broken, and in words what is wrong. */
    public record Failure(GateRule rule, String reason) {
    }

    /**
     * What the gate decided.
     *
     * @param message    the message to queue (with what was added), valid up to {@code length}
     * @param attributes envelope attributes to add (Sluice's unsubscribe pair switched on)
     */
    public record Verdict(boolean marketing, GateMode mode, List<Failure> failures, List<GateRule> fixed,
                          byte[] message, int length, Map<String, String> attributes) {
        public boolean refused() {
            return !failures.isEmpty() && mode != GateMode.REPORT;
        }

        /** Worth an event: something failed or was added. */
        public boolean noteworthy() {
            return !failures.isEmpty() || !fixed.isEmpty();
        }

        /** refused, fixed or reported */
        public String action() {
            return refused() ? "refused" : !failures.isEmpty() ? "reported" : "fixed";
        }

        public String rules() {
            List<String> out = new ArrayList<>();
            failures.forEach(f -> out.add(f.rule().label()));
            fixed.forEach(r -> out.add(r.label()));
            return String.join(",", out);
        }

        /** The failures as one line: "rule (reason); rule (reason)". */
        public String explanation() {
            List<String> out = new ArrayList<>();
            failures.forEach(f -> out.add(f.rule().label() + " (" + f.reason() + ")"));
            if (!fixed.isEmpty()) {
                out.add("added: " + String.join(", ", fixed.stream().map(GateRule::label).toList()));
            }
            return String.join("; ", out);
        }
    }

    private final GateSettings settings;
    private final MessageSigner signer;
    private final TenantDomainCheck senders;
    private final FeedbackSettings feedback;
    private final String hostname;
    private final Clock clock;
    private final EventLog events;

    public ComplianceGate(GateSettings settings, MessageSigner signer, TenantDomainCheck senders,
                          FeedbackSettings feedback, io.sluice.daemon.config.SmtpSettings smtp, Clock clock,
                          EventLog events) {
        this.events = events;
        this.settings = settings;
        this.signer = signer;
        this.senders = senders;
        this.feedback = feedback;
        this.hostname = smtp.hostname();
        this.clock = clock;
    }

    /**
     * {@link #check}, then a {@code ComplianceGate} event when something failed or was added.
     *
     * @param peer the client address (SMTP) or caller (HTTP), for the event
     */
    public Verdict admit(String sender, List<String> recipients, String peer, Map<String, String> attributes,
                         byte[] message, int length) {
        Verdict v = check(sender, attributes, message, length);
        if (v.noteworthy()) {
            events.publish(Event.complianceGate(clock.instant(), sender, recipients, peer,
                    attributes.getOrDefault(Tenant.ATTRIBUTE, Tenant.DEFAULT_NAME), attributes.get("campaign"),
                    v.action(), v.rules(), v.explanation()));
        }
        return v;
    }

    /** Marketing mail: a campaign or class marketing, and never class transactional. */
    public static boolean isMarketing(Map<String, String> attributes) {
        String cls = attributes.get("class");
        if (TRANSACTIONAL.equalsIgnoreCase(cls)) {
            return false;
        }
        return MARKETING.equalsIgnoreCase(cls) || attributes.get("campaign") != null;
    }

    /**
     * Checks {@code message[0, length)} (CRLF, without Sluice's trace fields) of the envelope
     * {@code sender} with these attributes (tenant, campaign, class, {@code dkim.unsigned}).
     */
    public Verdict check(String sender, Map<String, String> attributes, byte[] message, int length) {
        if (!isMarketing(attributes)) {
            return new Verdict(false, GateMode.REPORT, List.of(), List.of(), message, length, Map.of());
        }
        byte[] exact = length == message.length ? message : java.util.Arrays.copyOf(message, length);
        String tenant = attributes.getOrDefault(Tenant.ATTRIBUTE, Tenant.DEFAULT_NAME);
        GateMode mode = settings.mode(tenant);
        HeaderFields fields = HeaderFields.scan(exact);
        List<Failure> failures = new ArrayList<>();
        List<GateRule> fixed = new ArrayList<>();
        Map<String, String> added = new HashMap<>();
        StringBuilder prepend = new StringBuilder();

        unsubscribe(tenant, sender, attributes, fields, mode, failures, fixed, added);
        String author = MessageSigner.authorDomain(exact);
        coverage(tenant, author, fields, failures);
        TenantDomainCheck.Foreign foreign = senders.from(tenant, exact, exact.length);
        if (foreign != null) {
            failures.add(new Failure(GateRule.FROM_DOMAIN, foreign.reason()));
        }
        alignment(tenant, author, attributes, failures);
        if (fields.count("date") == 0) {
            if (mode == GateMode.FIX) {
                prepend.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock)))
                        .append("\r\n");
                fixed.add(GateRule.DATE);
            } else {
                failures.add(new Failure(GateRule.DATE, "no Date field"));
            }
        }
        if (fields.count("message-id") == 0) {
            if (mode == GateMode.FIX) {
                prepend.append("Message-ID: <").append(Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36))
                        .append('.').append(Long.toString(clock.millis(), 36)).append('@').append(hostname).append(">\r\n");
                fixed.add(GateRule.MESSAGE_ID);
            } else {
                failures.add(new Failure(GateRule.MESSAGE_ID, "no Message-ID field"));
            }
        }
        boolean refused = !failures.isEmpty() && mode != GateMode.REPORT;
        if (refused) {
            return new Verdict(true, mode, List.copyOf(failures), List.copyOf(fixed), exact, exact.length, Map.of());
        }
        prepend.append("Feedback-ID: ").append(feedbackId(tenant, attributes)).append("\r\n");
        byte[] out = rebuild(prepend.toString().getBytes(StandardCharsets.US_ASCII), fields, exact);
        return new Verdict(true, mode, List.copyOf(failures), List.copyOf(fixed), out, out.length, Map.copyOf(added));
    }

    private void unsubscribe(String tenant, String sender, Map<String, String> attributes, HeaderFields fields,
                             GateMode mode, List<Failure> failures, List<GateRule> fixed, Map<String, String> added) {
        if (fields.count("list-unsubscribe") > 0) {
            // the client's own: Sluice adds none at send time, so this one must do
            if (!hasHttpsUri(fields.first("list-unsubscribe"))) {
                failures.add(new Failure(GateRule.LIST_UNSUBSCRIBE, "List-Unsubscribe has no <https://...> URI"));
            }
            String post = fields.first("list-unsubscribe-post");
            if (post == null || !post.strip().equalsIgnoreCase("List-Unsubscribe=One-Click")) {
                failures.add(new Failure(GateRule.LIST_UNSUBSCRIBE_POST,
                        "no List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058)"));
            }
            return;
        }
        String url = feedback.unsubscribeUrl();
        boolean canAdd = feedback.secret() != null && url != null && url.startsWith("https://")
                && sender != null && !sender.isEmpty();
        String wanted = attributes.get(UNSUBSCRIBE_ATTRIBUTE);
        boolean on = wanted == null ? feedback.policy(tenant).unsubscribe()
                : wanted.equalsIgnoreCase("on") || wanted.equalsIgnoreCase("true");
        if (canAdd && on) {
            return; // Sluice's own pair is added, and signed, at send time
        }
        if (canAdd && mode == GateMode.FIX) {
            added.put(UNSUBSCRIBE_ATTRIBUTE, "on");
            fixed.add(GateRule.LIST_UNSUBSCRIBE);
            return;
        }
        failures.add(new Failure(GateRule.LIST_UNSUBSCRIBE, "no List-Unsubscribe, and Sluice adds none for tenant "
                + tenant + (canAdd ? " (sluice.tenants." + tenant + ".unsubscribe.enabled)"
                : " (one-click unsubscribe needs sluice.unsubscribe.url on https and sluice.bounce.secret"
                + (sender == null || sender.isEmpty() ? ", and a sender that is not null" : "") + ")")));
    }

    private void coverage(String tenant, String author, HeaderFields fields, List<Failure> failures) {
        for (String field : List.of("list-unsubscribe", "list-unsubscribe-post")) {
            // Sluice's own pair, when it is added, is one field of each
            int present = Math.max(1, fields.count(field));
            List<String> gaps = signer.notOverSigning(tenant, author, field, present);
            if (!gaps.isEmpty()) {
                failures.add(new Failure(GateRule.DKIM_COVERAGE, "the configured h= list of d=" + String.join(", d=", gaps)
                        + " does not over-sign " + field + " (list it " + (present + 1) + " times in sluice.dkim...headers,"
                        + " or leave headers unset)"));
            }
        }
    }

    private void alignment(String tenant, String author, Map<String, String> attributes, List<Failure> failures) {
        if (author == null) {
            failures.add(new Failure(GateRule.ALIGNMENT, "no From address to align"));
            return;
        }
        List<String> signing = attributes.containsKey(MessageSigner.UNSIGNED_ATTRIBUTE) ? List.of()
                : signer.signingDomainsFor(tenant, author);
        for (String d : signing) {
            if (OrganisationalDomain.aligned(author, d)) {
                return;
            }
        }
        failures.add(new Failure(GateRule.ALIGNMENT, "From domain " + author + " is not aligned with a DKIM domain "
                + "Sluice signs it with (" + (signing.isEmpty() ? "none" : "d=" + String.join(", d=", signing)) + ")"));
    }

    /**
     * Gmail's {@code Feedback-ID: a:b:c:SenderId}: campaign (empty when none), tenant, class,
     * then the configured sender id. Gmail aggregates each of the four fields from the right; an
     * empty field is skipped, and no value repeats across fields.
     */
    String feedbackId(String tenant, Map<String, String> attributes) {
        String campaign = attributes.getOrDefault("campaign", "");
        String cls = attributes.getOrDefault("class", MARKETING).toLowerCase(Locale.ROOT);
        return clean(campaign) + ":" + clean(tenant) + ":" + clean(cls) + ":" + settings.senderId();
    }

    /** Labels are [A-Za-z0-9._-]; a colon would shift Gmail's fields. */
    private static String clean(String s) {
        return s.replace(':', '-');
    }

    private static boolean hasHttpsUri(String value) {
        if (value == null) {
            return false;
        }
        int at = 0;
        String v = value.toLowerCase(Locale.ROOT);
        while ((at = v.indexOf('<', at)) >= 0) {
            if (v.startsWith("<https://", at) && v.indexOf('>', at) > at + 9) {
                return true;
            }
            at++;
        }
        return false;
    }

    /** {@code prefix}, then the header section without any Feedback-ID field, then the rest. */
    private static byte[] rebuild(byte[] prefix, HeaderFields fields, byte[] message) {
        int length = message.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + prefix.length);
        out.writeBytes(prefix);
        int pos = 0;
        for (HeaderFields.Field f : fields.all()) {
            if (f.name().equals("feedback-id")) {
                out.write(message, pos, f.start() - pos);
                pos = f.end();
            }
        }
        out.write(message, pos, length - pos);
        return out.toByteArray();
    }
}
