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
 * @param source         the sending source (local IP) of a delivery attempt, when pools are in use
 * @param provider       the provider rule in force, for delivery and shaping events
 * @param scope          what a shaping event applies to: path:SOURCE>SITE, source:SOURCE>PROVIDER,
 *                       tenant:T, campaign:C, domain:D
 * @param rule           the reply rule (or "admin") that caused a shaping event
 * @param until          when a suspension or throttle ends
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
        String source,
        String provider,
        String scope,
        String rule,
        Instant until) {

    public static Event reception(Instant at, String id, String sender, List<String> recipients, long size,
                                  String peer, Instant created) {
        return new Event("Reception", at, id, null, sender, null, recipients, null, null, null, null, created,
                null, size, peer, null, null, null, null, null);
    }

    public static Event delivery(String type, Instant at, String id, int recipientIndex, String sender,
                                 String recipient, String site, String host, Response response, int attempts,
                                 Instant created, Instant nextAttempt) {
        return new Event(type, at, id, recipientIndex, sender, recipient, null, site, host, response, attempts,
                created, nextAttempt, null, null, null, null, null, null, null);
    }

    /** A delivery event that names the source and provider rule. */
    public Event withEgress(String source, String provider) {
        return new Event(type, timestamp, id, recipientIndex, sender, recipient, recipients, site, host, response,
                attempts, created, nextAttempt, size, peer, source, provider, scope, rule, until);
    }

    /**
     * A change of shaping: Suspension, Throttle, Resumption (automatic, from a reply rule, or
     * by an operator through the admin API), WarmupSpent.
     */
    public static Event shaping(String type, Instant at, String scope, String provider, String rule,
                                Response response, Instant until) {
        return new Event(type, at, null, null, null, null, null, null, null, response, null, null, null, null,
                null, null, provider, scope, rule, until);
    }
}
