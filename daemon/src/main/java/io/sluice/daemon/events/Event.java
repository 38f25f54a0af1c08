package io.sluice.daemon.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * One line of the event log. Field names are documented in {@code docs/events.md}; fields that
 * do not apply to a type are left out of its line.
 *
 * @param type           Reception, Delivery, TransientFailure, Bounce, Expiration
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
 * @param tenant         the tenant: for Reception (when known), OOB, Feedback and Suppression
 * @param campaign       for Reception: the campaign label, when given
 * @param pool           for Reception: the pool asked for, when given
 * @param bounceCategory for Bounce/TransientFailure/OOB: the classifier's category ({@code bad-mailbox} ...)
 * @param bounceReason   ... and the rule's reason
 * @param action         for Suppression: {@code add} or {@code remove}; for OOB/Feedback: what was done
 * @param reason         for Suppression: why ({@code hard-bounce}, {@code complaint} ...)
 * @param source         for Suppression: what made the change; for OOB/Feedback: the reporting address
 * @param note           for Suppression/OOB/Feedback: free text (remote reply, feedback type, comment)
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
        String note) {

    public static Event reception(Instant at, String id, String sender, List<String> recipients, long size,
                                  String peer, Instant created) {
        return reception(at, id, sender, recipients, size, peer, created, java.util.Map.of());
    }

    /** With the envelope's "tenant", "campaign" and "pool" attributes, where set. */
    public static Event reception(Instant at, String id, String sender, List<String> recipients, long size,
                                  String peer, Instant created, java.util.Map<String, String> attributes) {
        return new Event("Reception", at, id, null, sender, null, recipients, null, null, null, null, created,
                null, size, peer, attributes.get("tenant"), attributes.get("campaign"), attributes.get("pool"),
                null, null, null, null, null, null);
    }

    public static Event delivery(String type, Instant at, String id, int recipientIndex, String sender,
                                 String recipient, String site, String host, Response response, int attempts,
                                 Instant created, Instant nextAttempt) {
        return new Event(type, at, id, recipientIndex, sender, recipient, null, site, host, response, attempts,
                created, nextAttempt, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** This event with the classifier's verdict added (issue 6). */
    public Event withBounce(String category, String why) {
        return new Event(type, timestamp, id, recipientIndex, sender, recipient, recipients, site, host, response,
                attempts, created, nextAttempt, size, peer, tenant, campaign, pool, category, why, action, reason, source,
                note);
    }

    /** An event of the feedback loop: OOB, Feedback, Suppression (see docs/events.md). */
    public static Event feedback(String type, Instant at, String id, Integer recipientIndex, String recipient,
                                 String tenant, String action, String reason, String source, String note,
                                 String bounceCategory, String bounceReason) {
        return new Event(type, at, id, recipientIndex, null, recipient, null, null, null, null, null, null, null,
                null, null, tenant, null, null, bounceCategory, bounceReason, action, reason, source, note);
    }
}
