package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Destination;
import io.sluice.daemon.egress.tls.TlsOutcome;

import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.operate.events.Response;
import io.sluice.daemon.outcome.feedback.HygienePolicy;
import io.sluice.daemon.outcome.suppression.SuppressionEntry;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.protocol.bounce.Classification;
import io.sluice.protocol.bounce.SmtpCommand;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.queue.Outcome;
import io.sluice.queue.Spool;
import io.sluice.queue.DeliveryId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Turns the reply that decided an attempt into its consequences: the journal record (first, so
 * a crash right after a remote 250 rarely sends twice), the event, and for a transient failure
 * the time of the next attempt, or expiry once the delivery is older than its max age.
 */
@Singleton
public final class DeliveryOutcomes {
    /** What should happen to the delivery next. */
    public sealed interface Next {
        record Done() implements Next {
        }

        record RetryAt(Delivery delivery, Instant due) implements Next {
        }
    }

    private static final Next DONE = new Next.Done();

    /** Where outcomes are made durable: the spool's journal in production. */
    @FunctionalInterface
    interface Journal {
        void record(DeliveryId id, Outcome outcome);
    }

    private final Journal journal;
    private final Consumer<Event> events;
    private final RetryPolicy retry;
    private final Clock clock;
    private final HygienePolicy hygiene;

    @Inject
    public DeliveryOutcomes(Spool spool, EventLog events, RetryPolicy retry, Clock clock, HygienePolicy hygiene) {
        this(spool::record, events::publish, retry, clock, hygiene);
    }

    /** With the journal and the event stream as plain functions, as unit tests give them. */
    DeliveryOutcomes(Journal journal, Consumer<Event> events, RetryPolicy retry, Clock clock, HygienePolicy hygiene) {
        this.journal = journal;
        this.hygiene = hygiene;
        this.events = events;
        this.retry = retry;
        this.clock = clock;
    }

    /**
     * @param attempted the delivery with its attempt count already including this attempt
     * @param earliest  a retry is not due before this (e.g. the destination's rest), or null
     */
    public Next record(Delivery attempted, Destination destination, String host, SmtpReply reply, Instant earliest) {
        return record(attempted, destination, host, reply, earliest, null, null, SmtpCommand.UNKNOWN);
    }

    /**
     * As above, naming the source that sent (null for the implicit one) and the provider rule,
     * which go into the event, and the command the reply answered: a "no such user" to RCPT TO is
     * about the recipient, the same words after DATA are a content filter's (RFC 5321 §3.3,
     * Sisimai's reading).
     */
    public Next record(Delivery attempted, Destination destination, String host, SmtpReply reply, Instant earliest,
                       String source, String provider, SmtpCommand command) {
        return record(attempted, destination, host, reply, earliest, source, provider, command, null);
    }

    /** As above, with the attempt's transport security for the event ({@code tls_policy}, {@code tls}), or null. */
    public Next record(Delivery attempted, Destination destination, String host, SmtpReply reply, Instant earliest,
                       String source, String provider, SmtpCommand command, TlsOutcome tls) {
        Instant now = clock.instant();
        Response response = Response.of(reply);
        if (reply.isPositive()) {
            journal.record(attempted.id(), new Outcome.Delivered(now));
            publish("Delivery", attempted, destination.key(), host, response, now, null, source, provider, null, tls);
            return DONE;
        }
        // issue 6: classify every failure; the hygiene policy may suppress the recipient
        Classification verdict = hygiene.afterReply(tenantOf(attempted), attempted.recipient(), reply,
                attempted.id().toString(), command);
        if (reply.isPermanent()) {
            journal.record(attempted.id(), new Outcome.Bounced(now, reply.toString()));
            publish("Bounce", attempted, destination.key(), host, response, now, null, source, provider, verdict, tls);
            return DONE;
        }
        Instant deadline = retry.deadline(attempted.receivedAt());
        if (!now.isBefore(deadline)) {
            journal.record(attempted.id(), new Outcome.Expired(now));
            publish("Expiration", attempted, destination.key(), host, response, now, null, source, provider, verdict, tls);
            return DONE;
        }
        Duration delay = retry.delayAfter(attempted.attempts(), ThreadLocalRandom.current());
        Instant due = now.plus(delay);
        if (earliest != null && due.isBefore(earliest)) {
            due = earliest;
        }
        if (due.isAfter(deadline)) {
            due = deadline; // one last attempt at the deadline, then expiry
        }
        journal.record(attempted.id(), new Outcome.Deferred(now, attempted.attempts(), due, reply.toString()));
        publish("TransientFailure", attempted, destination.key(), host, response, now, due, source, provider, verdict, tls);
        return new Next.RetryAt(attempted, due);
    }

    /** When {@code d} expires: its reception plus the max age. */
    public Instant deadline(Delivery d) {
        return retry.deadline(d.receivedAt());
    }

    /**
     * Issue 20: a delivery whose delivery window did not open before its deadline expires
     * unattempted. Journaled and logged as an Expiration (4.4.7), with no bounce classification:
     * it says nothing about the recipient, so it never counts towards suppression.
     */
    public void expireOutsideWindow(Delivery d) {
        Instant now = clock.instant();
        journal.record(d.id(), new Outcome.Expired(now));
        events.accept(Event.delivery("Expiration", now, d.id().message().value(), d.id().recipient(), d.sender(),
                d.recipient(), null, null, new Response(451, "4.4.7",
                        "delivery window did not open before the message expired"),
                d.attempts(), d.receivedAt(), null));
    }

    /**
     * Issue 6, "no means no" at dispatch: when the recipient was suppressed after the message was
     * queued, journals the delivery as bounced ("suppressed"), logs a Bounce event with category
     * {@code suppressed}, and returns true: the caller must not send it.
     */
    public boolean droppedAsSuppressed(Delivery d) {
        String tenant = tenantOf(d);
        SuppressionStore store = hygiene.store();
        if (!store.isSuppressed(tenant, d.recipient())) {
            return false;
        }
        String why = store.lookup(tenant, d.recipient()).map(SuppressionEntry::reason)
                .map(r -> r.label()).orElse("suppressed");
        Instant now = clock.instant();
        journal.record(d.id(), new Outcome.Bounced(now, "suppressed (" + why + ")"));
        events.accept(Event.delivery("Bounce", now, d.id().message().value(), d.id().recipient(), d.sender(),
                d.recipient(), null, null, new Response(550, "5.7.1", "recipient is suppressed (" + why + ")"),
                d.attempts(), d.receivedAt(), null).withBounce("suppressed", why));
        return true;
    }

    private static String tenantOf(Delivery d) {
        return io.sluice.daemon.outcome.tokens.ReturnPaths.tenantOf(d.attributes().get(SuppressionStore.TENANT_ATTRIBUTE));
    }

    private void publish(String type, Delivery d, String site, String host, Response response, Instant now,
                         Instant nextAttempt, String source, String provider, Classification verdict, TlsOutcome tls) {
        Event e = Event.delivery(type, now, d.id().message().value(), d.id().recipient(), d.sender(),
                d.recipient(), site, host, response, d.attempts(), d.receivedAt(), nextAttempt);
        if (source != null || provider != null) {
            e = e.withEgress(source, provider);
        }
        // the rates (outcome.rates) count per tenant and campaign from these events
        e = e.withLabels(tenantOf(d), d.attributes().get("campaign"));
        if (verdict != null) {
            e = e.withBounce(verdict.category().label(), verdict.reason());
        }
        if (tls != null) {
            e = e.withTls(tls.policy(), tls.result());
        }
        events.accept(e);
    }
}
