package io.sluice.daemon.egress;

import io.sluice.daemon.egress.schedule.QueueKey;
import io.sluice.daemon.egress.shaping.Backoff;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.egress.shaping.ReplyRule;
import io.sluice.daemon.egress.shaping.Suspensions;
import io.sluice.daemon.egress.tls.TlsOutcome;
import io.sluice.daemon.egress.warmup.WarmupBudgets;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.Response;
import io.sluice.protocol.client.SmtpClientException;
import io.sluice.protocol.bounce.SmtpCommand;
import io.sluice.protocol.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * What follows an attempt, or a decision not to attempt: the reply rules act on a failure (hold,
 * throttle, or make it a bounce), {@link DeliveryOutcomes} journals it, and a transient failure
 * goes back to the scheduler at its retry time. A path that cannot be reached rests, and what is
 * ready on it is deferred at once. Whatever does not go out gives its warm-up unit back.
 * Thread-safe (called from workers and the scheduler).
 */
final class AttemptOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptOutcomes.class);

    private final DeliveryOutcomes outcomes;
    private final RouteLookup lookup;
    private final EgressConfig.InForce config;
    private final Backoff backoff;
    private final Suspensions holds;
    private final WarmupBudgets warmup;
    private final Consumer<Event> events;
    private final Clock clock;
    private final Duration downFor;
    private final Mailbox mailbox;

    AttemptOutcomes(DeliveryOutcomes outcomes, RouteLookup lookup, EgressConfig.InForce config, Suspensions holds,
                    WarmupBudgets warmup, Consumer<Event> events, Clock clock, Duration downFor, Mailbox mailbox) {
        this.outcomes = outcomes;
        this.lookup = lookup;
        this.config = config;
        this.backoff = new Backoff();
        this.holds = holds;
        this.warmup = warmup;
        this.events = events;
        this.clock = clock;
        this.downFor = downFor;
        this.mailbox = mailbox;
    }

    /** Records the outcome of one attempt on {@code path}, after letting the reply rules act on it. */
    void finish(EgressPath path, Delivery attempt, RouteDecision.Target target, SmtpReply reply, SmtpCommand command) {
        finish(path, attempt, target, reply, command, null);
    }

    /** As above, with the session's transport security for the event (or null). */
    void finish(EgressPath path, Delivery attempt, RouteDecision.Target target, SmtpReply reply, SmtpCommand command,
                TlsOutcome tls) {
        String provider = path.provider();
        if (!reply.isPositive()) {
            warmup.giveBack(path.source, provider);
            Backoff.Triggered t = backoff.onReply(config.rules(), reply, provider, path.source.name(), path.site,
                    attempt.attributes().getOrDefault("tenant", QueueKey.DEFAULT), clock.instant());
            if (t != null) {
                reply = act(t, path, reply);
            }
        }
        retry(outcomes.record(attempt, lookup.destinationOf(attempt.domain()), target.describe(), reply, null,
                path.source.address() == null ? null : path.source.describe(), provider, command, tls));
    }

    /** Records an attempt decided before any connection (no route, a resting site). */
    void decided(Delivery attempt, SmtpReply reply, Instant earliest) {
        decided(attempt, reply, earliest, null);
    }

    /** As above, naming the transport-security policy that decided it (a TLS failure, no MX the policy allows). */
    void decided(Delivery attempt, SmtpReply reply, Instant earliest, TlsOutcome tls) {
        retry(outcomes.record(attempt, lookup.destinationOf(attempt.domain()), null, reply, earliest, null, null,
                SmtpCommand.UNKNOWN, tls));
    }

    /**
     * An attempt that failed inside Sluice (the spool could not give the message, a step of the
     * session threw, an outcome could not be recorded): deferred as a transient failure
     * ({@code 451 4.3.0}), journaled with its event and retried at the retry policy's time. When
     * even that cannot be journaled, the delivery stays in memory and is tried again after
     * {@code destination-down-for}; recovery finds it in the spool after a restart either way.
     *
     * @param path the path that had taken it (its warm-up unit is given back), or null
     */
    void deferLocally(EgressPath path, Delivery attempt, String why) {
        if (path != null) {
            warmup.giveBack(path.source, path.provider());
        }
        try {
            decided(attempt, localError(why), null);
        } catch (RuntimeException e) {
            LOG.error("delivery {} could not be deferred ({}); tried again from memory in {}", attempt.id(), e, downFor);
            mailbox.submitAt(attempt, clock.instant().plus(downFor));
        }
    }

    /** The reply that stands for a failure of Sluice's own. */
    static SmtpReply localError(String why) {
        return SmtpReply.of(451, "4.3.0", why);
    }

    /* Applies a triggered reply rule; returns the reply to record (a bounce rule makes it permanent). */
    private SmtpReply act(Backoff.Triggered t, EgressPath path, SmtpReply reply) {
        ReplyRule rule = t.rule();
        Instant until = clock.instant().plus(rule.duration());
        switch (rule.action()) {
            case BOUNCE -> {
                String enhanced = reply.enhancedCode() == null ? "5.0.0" : "5" + reply.enhancedCode().substring(1);
                return SmtpReply.of(reply.isPermanent() ? reply.code() : 550, enhanced, reply.text());
            }
            case THROTTLE -> {
                path.throttle.throttle(rule.factor(), until);
                publishShaping("Throttle", t.scope(), path.provider(), rule.name(), reply, until);
            }
            default -> {
                holds.suspend(t.scope(), new Suspensions.Hold(until, rule.name(), reply.toString()));
                publishShaping("Suspension", t.scope(), path.provider(), rule.name(), reply, until);
                requeueReady(path);
            }
        }
        return reply;
    }

    void publishShaping(String type, HoldScope scope, String provider, String rule, SmtpReply reply, Instant until) {
        publishShaping(type, scope, provider, rule, reply, until, null);
    }

    /** As above, with free text for the event's note (the circuit breaker's figures), or null. */
    void publishShaping(String type, HoldScope scope, String provider, String rule, SmtpReply reply, Instant until,
                        String note) {
        LOG.info("{} of {} by {}{}{}", type, scope, rule, until == null ? "" : " until " + until,
                reply == null ? "" : ": " + reply);
        Event e = Event.shaping(type, clock.instant(), scope.toString(), provider, rule,
                reply == null ? null : Response.of(reply), until);
        events.accept(note == null ? e : e.withNote(note));
    }

    /** A held path's ready deliveries go back to wait in their scheduled queues (not an attempt). */
    void requeueReady(EgressPath path) {
        Delivery d;
        while ((d = path.poll()) != null) {
            warmup.giveBack(path.source, path.provider());
            mailbox.submitAt(d, null);
        }
        mailbox.wake();
    }

    /** Defers everything ready on the path and leaves the path alone for {@code destination-down-for}. */
    void rest(EgressPath path, SmtpReply reply) {
        rest(path, reply, null);
    }

    /** As above, when the last failure was one of TLS under {@code tls}'s policy (named on the events). */
    void rest(EgressPath path, SmtpReply reply, TlsOutcome tls) {
        Instant until = clock.instant().plus(downFor);
        path.markDown(until, reply);
        deferReady(path, reply, until, tls);
    }

    void deferReady(EgressPath path, SmtpReply reply, Instant until) {
        deferReady(path, reply, until, null);
    }

    private void deferReady(EgressPath path, SmtpReply reply, Instant until, TlsOutcome tls) {
        Delivery queued;
        while ((queued = path.poll()) != null) {
            warmup.giveBack(path.source, path.provider());
            decided(queued.nextAttempt(), reply, until, tls);
        }
    }

    private void retry(DeliveryOutcomes.Next next) {
        if (next instanceof DeliveryOutcomes.Next.RetryAt r) {
            mailbox.submitAt(r.delivery(), r.due());
        }
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** A reply standing for a failure that produced none (connection refused, timeout, TLS). */
    static SmtpReply replyFor(Throwable error, RouteDecision.Target target) {
        if (error instanceof SmtpClientException e) {
            if (e.reply() != null) {
                return e.reply();
            }
            String what = switch (e.kind()) {
                case CONNECT -> "connect to " + target.describe() + " failed";
                case TLS -> "TLS with " + target.describe() + " failed";
                case TIMEOUT -> "timeout talking to " + target.describe();
                case CLOSED -> "connection to " + target.describe() + " closed";
                default -> "protocol error with " + target.describe();
            };
            return SmtpReply.of(451, "4.4.1", what + ": " + e.getMessage());
        }
        return SmtpReply.of(451, "4.4.1", "delivery to " + target.describe() + " failed: " + error);
    }
}
