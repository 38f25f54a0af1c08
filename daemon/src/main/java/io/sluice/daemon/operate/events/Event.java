package io.sluice.daemon.operate.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One line of the event log. Field names are documented in {@code docs/events.md}; fields that
 * do not apply to a type are left out of its line. Built through the factories below, which
 * name what each type carries; {@link Draft} keeps the many optional fields readable.
 *
 * @param type           Reception, Delivery, TransientFailure, Bounce, Expiration, OOB, Feedback,
 *                       Suppression, Unsubscribe, Suspension, Throttle, Resumption, WarmupSpent,
 *                       ComplianceGate, BreakerWarning, SourceHealth, SourceSuspension, DaneValidationBroken
 * @param timestamp      when the event happened
 * @param id             the message id (ULID) as given in the 250 reply
 * @param recipientIndex which recipient of the message, for per-delivery events
 * @param sender         envelope sender ("" for the null sender)
 * @param recipient      envelope recipient, for per-delivery events
 * @param recipients     all recipients, for Reception
 * @param site           the destination (recipient domain or smarthost) the delivery went to
 * @param host           the remote host name and address that answered, when one did
 * @param response       the reply that decided the outcome (ours for local decisions)
 * @param attempts       delivery attempts so far, this one included
 * @param created        when the message was received
 * @param nextAttempt    for TransientFailure: when the next attempt is due
 * @param size           message size in octets, for Reception
 * @param peer           the client address, for Reception
 * @param tenant         the tenant: for Reception (when known), delivery events, OOB, Feedback and Suppression
 * @param campaign       for Reception and delivery events: the campaign label, when given
 * @param pool           for Reception: the pool asked for, when given
 * @param bounceCategory for Bounce/TransientFailure/OOB: the classifier's category ({@code bad-mailbox} ...)
 * @param bounceReason   ... and the rule's reason
 * @param action         for Suppression: {@code add} or {@code remove}; for OOB/Feedback: what was done
 * @param reason         for Suppression: why ({@code hard-bounce}, {@code complaint} ...)
 * @param source         deliveries: the sending source (local IP) when pools are in use; Suppression:
 *                       what made the change; OOB/Feedback: the reporting address
 * @param note           for Suppression/OOB/Feedback: free text (remote reply, feedback type, comment)
 * @param provider       the provider rule in force, for delivery and shaping events
 * @param scope          what a shaping event applies to: path:SOURCE>SITE, source:SOURCE>PROVIDER,
 *                       tenant:T, campaign:C, domain:D
 * @param rule           the reply rule (or "admin") that caused a shaping event
 * @param until          when a suspension or throttle ends
 * @param tlsPolicy      for delivery events: the transport-security policy the attempt was under
 *                       (none, opportunistic, required, mta-sts-testing, mta-sts-enforce, dane)
 * @param tls            ... and what came of it: verified, encrypted, unverified, none, failed
 * @param lastOpen       for Open/Click: the recipient's last human open, this one included, when known
 * @param lastClick      for Open/Click: the recipient's last human click, this one included, when known
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(
        String type,
        Instant timestamp,
        String id,
        @JsonProperty("recipient_index") Integer recipientIndex,
        String sender,
        String recipient,
        List<String> recipients,
        String site,
        String host,
        Response response,
        Integer attempts,
        Instant created,
        @JsonProperty("next_attempt") Instant nextAttempt,
        Long size,
        String peer,
        String tenant,
        String campaign,
        String pool,
        @JsonProperty("bounce_category") String bounceCategory,
        @JsonProperty("bounce_reason") String bounceReason,
        String action,
        String reason,
        String source,
        String note,
        String provider,
        String scope,
        String rule,
        Instant until,
        @JsonProperty("tls_policy") String tlsPolicy,
        String tls,
        @JsonProperty("last_open") Instant lastOpen,
        @JsonProperty("last_click") Instant lastClick) {

    /** The fields of an event being built; every one optional but the type and time. */
    static final class Draft {
        String type;
        Instant timestamp;
        String id;
        Integer recipientIndex;
        String sender;
        String recipient;
        List<String> recipients;
        String site;
        String host;
        Response response;
        Integer attempts;
        Instant created;
        Instant nextAttempt;
        Long size;
        String peer;
        String tenant;
        String campaign;
        String pool;
        String bounceCategory;
        String bounceReason;
        String action;
        String reason;
        String source;
        String note;
        String provider;
        String scope;
        String rule;
        Instant until;
        String tlsPolicy;
        String tls;
        Instant lastOpen;
        Instant lastClick;

        Draft(String type, Instant timestamp) {
            this.type = type;
            this.timestamp = timestamp;
        }

        Event build() {
            return new Event(type, timestamp, id, recipientIndex, sender, recipient, recipients, site, host, response,
                    attempts, created, nextAttempt, size, peer, tenant, campaign, pool, bounceCategory, bounceReason,
                    action, reason, source, note, provider, scope, rule, until, tlsPolicy, tls, lastOpen, lastClick);
        }
    }

    private Draft draft() {
        Draft d = new Draft(type, timestamp);
        d.id = id;
        d.recipientIndex = recipientIndex;
        d.sender = sender;
        d.recipient = recipient;
        d.recipients = recipients;
        d.site = site;
        d.host = host;
        d.response = response;
        d.attempts = attempts;
        d.created = created;
        d.nextAttempt = nextAttempt;
        d.size = size;
        d.peer = peer;
        d.tenant = tenant;
        d.campaign = campaign;
        d.pool = pool;
        d.bounceCategory = bounceCategory;
        d.bounceReason = bounceReason;
        d.action = action;
        d.reason = reason;
        d.source = source;
        d.note = note;
        d.provider = provider;
        d.scope = scope;
        d.rule = rule;
        d.until = until;
        d.tlsPolicy = tlsPolicy;
        d.tls = tls;
        d.lastOpen = lastOpen;
        d.lastClick = lastClick;
        return d;
    }

    public static Event reception(Instant at, String id, String sender, List<String> recipients, long size,
                                  String peer, Instant created) {
        return reception(at, id, sender, recipients, size, peer, created, Map.of());
    }

    /** With the envelope's "tenant", "campaign" and "pool" attributes, where set. */
    public static Event reception(Instant at, String id, String sender, List<String> recipients, long size,
                                  String peer, Instant created, Map<String, String> attributes) {
        Draft d = new Draft("Reception", at);
        d.id = id;
        d.sender = sender;
        d.recipients = recipients;
        d.size = size;
        d.peer = peer;
        d.created = created;
        d.tenant = attributes.get("tenant");
        d.campaign = attributes.get("campaign");
        d.pool = attributes.get("pool");
        return d.build();
    }

    /**
     * The compliance gate's verdict on one marketing message (docs/deliverability.md): {@code action}
     * refused, fixed or reported; {@code rule} the rules at fault or fixed, comma-separated; {@code
     * note} what was wrong or added. The message has no id yet when it is refused.
     */
    public static Event complianceGate(Instant at, String sender, List<String> recipients, String peer,
                                       String tenant, String campaign, String action, String rule, String note) {
        Draft d = new Draft("ComplianceGate", at);
        d.sender = sender;
        d.recipients = recipients;
        d.peer = peer;
        d.tenant = tenant;
        d.campaign = campaign;
        d.action = action;
        d.rule = rule;
        d.note = note;
        return d.build();
    }

    public static Event delivery(String type, Instant at, String id, int recipientIndex, String sender,
                                 String recipient, String site, String host, Response response, int attempts,
                                 Instant created, Instant nextAttempt) {
        Draft d = new Draft(type, at);
        d.id = id;
        d.recipientIndex = recipientIndex;
        d.sender = sender;
        d.recipient = recipient;
        d.site = site;
        d.host = host;
        d.response = response;
        d.attempts = attempts;
        d.created = created;
        d.nextAttempt = nextAttempt;
        return d.build();
    }

    /** This event with the classifier's verdict added. */
    public Event withBounce(String category, String why) {
        Draft d = draft();
        d.bounceCategory = category;
        d.bounceReason = why;
        return d.build();
    }

    /** A delivery event with the tenant and campaign its mail carries (either may be null). */
    public Event withLabels(String tenantLabel, String campaignLabel) {
        Draft d = draft();
        d.tenant = tenantLabel;
        d.campaign = campaignLabel;
        return d.build();
    }

    /** A delivery event that names its transport-security policy and what came of it. */
    public Event withTls(String policy, String outcome) {
        Draft d = draft();
        d.tlsPolicy = policy;
        d.tls = outcome;
        return d.build();
    }

    /**
     * An Open or Click with what the sender needs to judge the recipient's engagement: the address
     * (when the delivery is known), the campaign, and the recipient's last human open and click.
     */
    public Event withEngagement(String recipientAddress, String campaignLabel, Instant lastHumanOpen,
                                Instant lastHumanClick) {
        Draft d = draft();
        d.recipient = recipientAddress;
        d.campaign = campaignLabel;
        d.lastOpen = lastHumanOpen;
        d.lastClick = lastHumanClick;
        return d.build();
    }

    /** A delivery event that names the source and provider rule. */
    public Event withEgress(String sendingSource, String providerRule) {
        Draft d = draft();
        d.source = sendingSource;
        d.provider = providerRule;
        return d.build();
    }

    /** An event of the feedback loop: OOB, Feedback, Suppression (see docs/events.md). */
    public static Event feedback(String type, Instant at, String id, Integer recipientIndex, String recipient,
                                 String tenant, String action, String reason, String source, String note,
                                 String bounceCategory, String bounceReason) {
        Draft d = new Draft(type, at);
        d.id = id;
        d.recipientIndex = recipientIndex;
        d.recipient = recipient;
        d.tenant = tenant;
        d.action = action;
        d.reason = reason;
        d.source = source;
        d.note = note;
        d.bounceCategory = bounceCategory;
        d.bounceReason = bounceReason;
        return d.build();
    }

    /** The circuit breaker's warning: a rule with action warn tripped for {@code scope} (figures in {@code note}). */
    public static Event breakerWarning(Instant at, String scope, String provider, String rule, String note) {
        Draft d = new Draft("BreakerWarning", at);
        d.scope = scope;
        d.provider = provider;
        d.rule = rule;
        d.note = note;
        return d.build();
    }

    /**
     * What the opt-in source suspension did with a source-health verdict: {@code action}
     * {@code suspended}, {@code kept} (more than half of a pool would be out) or {@code lifted}.
     */
    public static Event sourceSuspension(Instant at, String scope, String rule, String action, String note) {
        Draft d = new Draft("SourceSuspension", at);
        d.scope = scope;
        d.rule = rule;
        d.action = action;
        d.note = note;
        return d.build();
    }

    /** A shaping event with free text (the circuit breaker's figures). */
    public Event withNote(String text) {
        Draft d = draft();
        d.note = text;
        return d.build();
    }

    /**
     * A change of shaping: Suspension, Throttle, Resumption (automatic, from a reply rule, or
     * by an operator through the admin API), WarmupSpent.
     */
    public static Event shaping(String type, Instant at, String scope, String provider, String rule,
                                Response response, Instant until) {
        Draft d = new Draft(type, at);
        d.scope = scope;
        d.provider = provider;
        d.rule = rule;
        d.response = response;
        d.until = until;
        return d.build();
    }
    /**
     * SourceHealth: the doctor's verdict on one source changed. {@code source} is the source's
     * name, {@code host} its address, {@code rule} the check ({@code fcrdns}, {@code source-address},
     * {@code dnsbl:ZONE}), {@code action} the verdict (pass, warn, unknown, fail), {@code note} the finding.
     */
    public static Event sourceHealth(Instant at, String source, String address, String check, String verdict,
                                     String note) {
        Draft d = new Draft("SourceHealth", at);
        d.source = source;
        d.host = address;
        d.rule = check;
        d.action = verdict;
        d.note = note;
        return d.build();
    }

    /**
     * DaneValidationBroken: DNSSEC validation failed at the trust anchor itself (a resolver that
     * strips signatures, a stale anchor file), so DANE is off until it recovers and mail goes out
     * as if no domain published TLSA. {@code site} is the recipient domain and {@code host} the MX
     * host whose lookup showed it; {@code note} says what failed.
     */
    public static Event daneValidationBroken(Instant at, String domain, String mxHost, String note) {
        Draft d = new Draft("DaneValidationBroken", at);
        d.site = domain;
        d.host = mxHost;
        d.note = note;
        return d.build();
    }
}
