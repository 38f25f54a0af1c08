package io.sluice.daemon.egress;

import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.shaping.Suspensions;
import io.sluice.daemon.egress.warmup.WarmupBudgets;
import io.sluice.daemon.egress.tls.TlsFailures;
import io.sluice.daemon.egress.tls.TlsOutcome;
import io.sluice.daemon.egress.tls.TlsPolicy;
import io.sluice.daemon.egress.tls.TlsSessionResults;
import io.sluice.protocol.client.ClientSettings;
import io.sluice.protocol.client.PeerAuthentication;
import io.sluice.protocol.client.SmtpClientException;
import io.sluice.protocol.client.TlsMode;
import io.sluice.protocol.bounce.SmtpCommand;
import io.sluice.protocol.client.RecipientReply;
import io.sluice.protocol.client.TransactionResult;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.protocol.client.TransactionResult;
import io.sluice.queue.SpoolException;
import io.sluice.queue.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Outbound sessions: opens connections for a path's ready queue (up to the provider rule's caps
 * and connection rate), tries the targets in order under each one's TLS policy (issue 16: what
 * its domain published, else the provider rule's {@code tls}), remembers MX addresses whose
 * STARTTLS failed (opportunistic TLS then goes there in clear for {@code broken-tls-memory}; a
 * policy never does: its TLS failures move to the next MX and finally defer), paces transactions to the message rate, and puts several recipients of one
 * message in one transaction. Each connection carries transactions one after another until the
 * path has no work or the rule's deliveries per connection are sent; a connection whose path ran
 * out of work stays open for {@code connectionIdleTime} and the next delivery to the path takes it
 * (see {@link IdleConnection}). A failure inside Sluice at
 * any step (an unreadable spooled message, a callback that throws) defers the deliveries it had
 * taken and gives the connection slot back (issue 18, item 9). Runs on worker threads.
 */
final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    /** RFC 5321 §4.5.3.1.8: every server takes at least 100 recipients per transaction. */
    private static final int RECIPIENTS_PER_TRANSACTION = 100;

    private final Transport transport;
    private final SendAssembly assembly;
    private final AttemptOutcomes after;
    private final DeliveryOutcomes outcomes;
    private final Suspensions holds;
    private final WarmupBudgets warmup;
    private final Clock clock;
    private final Duration brokenTlsMemory;
    private final long idleMillis;
    private final Executor work;
    /** Wakes connections that wait for their provider's message rate (one timer per waiting connection). */
    private final ScheduledExecutorService paced;
    private final Mailbox mailbox;
    private final TlsSessionResults tlsResults;
    /**
     * The paths that parked a connection, so that a pump refused a cap (the usual state at full
     * speed) looks at these, not at every path. A path may linger here with none left; one dropped
     * while it parks again is still closed by the tick's expiry, just not given up early.
     */
    private final java.util.Set<EgressPath> withIdle = ConcurrentHashMap.newKeySet();
    /** MX addresses whose STARTTLS failed, until when we go to them in clear (opportunistic TLS only). */
    private final ConcurrentHashMap<InetSocketAddress, Instant> brokenTls = new ConcurrentHashMap<>();

    Sessions(Transport transport, SendAssembly assembly, AttemptOutcomes after, DeliveryOutcomes outcomes,
             Suspensions holds, WarmupBudgets warmup, Clock clock, Duration brokenTlsMemory, Duration connectionIdleTime,
             Executor work,
             ScheduledExecutorService paced, Mailbox mailbox, TlsSessionResults tlsResults) {
        this.tlsResults = tlsResults;
        this.transport = transport;
        this.assembly = assembly;
        this.after = after;
        this.outcomes = outcomes;
        this.holds = holds;
        this.warmup = warmup;
        this.clock = clock;
        this.brokenTlsMemory = brokenTlsMemory;
        this.idleMillis = connectionIdleTime.toMillis();
        this.work = work;
        this.paced = paced;
        this.mailbox = mailbox;
    }

    /** Opens as many connections as the path's ready queue, caps and connection rate allow now. */
    void pump(EgressPath path) {
        if (mailbox.closed()) {
            return;
        }
        Instant now = clock.instant();
        if (path.isDown(now)) {
            after.deferReady(path, path.downReply(), path.downUntil());
            return;
        }
        ProviderRule rule = path.throttle.rule();
        // open connections waiting for work first: one per ready delivery (a resumed session takes
        // more if there are), the rest stay idle; those resumed still hold their slots, so the caps
        // below count them
        for (int resumed = 0; path.readyCount.get() > resumed; ) {
            IdleConnection idle = path.idle.pollFirst();
            if (idle == null) {
                break;
            }
            if (idle.resume()) {
                resumed++;
            }
        }
        while (path.readyCount.get() > 0) {
            // no more connections than ready deliveries: a connection takes several of one message
            int wanted = Math.min(rule.maxConnectionsPerPath(), path.readyCount.get());
            if (!path.tryOpenSlot(path.connections, wanted)) {
                return;
            }
            if (!path.throttle.tryOpenConnection(now)) { // the source's cap and the provider's total
                path.connections.decrementAndGet();
                closeIdleSharingCaps(path);
                return;
            }
            if (!path.throttle.tryConnect(System.nanoTime())) {
                path.connections.decrementAndGet();
                path.throttle.releaseConnection();
                return; // the scheduler tick pumps again
            }
            Slot slot = new Slot(path);
            try {
                work.execute(() -> guarded(slot, null, List.of(), () -> connect(slot, path.targets, 0, null, null, false)));
            } catch (RuntimeException e) { // a worker pool that refuses work (shutting down)
                slot.release(false);
                throw e;
            }
        }
    }

    /**
     * One connection's claim on its path's caps (the path's connection count and the provider's
     * total), given back exactly once whatever happens to the session: a slot that is never
     * given back keeps the path short of a connection until a restart.
     */
    private final class Slot {
        final EgressPath path;
        private final AtomicBoolean held = new AtomicBoolean(true);

        Slot(EgressPath path) {
            this.path = path;
        }

        /** Gives the slot back (once) and, when {@code pumpAgain}, opens connections for what waits. */
        void release(boolean pumpAgain) {
            if (!held.compareAndSet(true, false)) {
                return;
            }
            path.connections.decrementAndGet();
            path.throttle.releaseConnection();
            if (pumpAgain && path.readyCount.get() > 0) {
                pump(path);
            }
            mailbox.wake();
        }
    }

    /*
     * Runs one step of a session (most run as callbacks of the transport's futures, which keep an
     * exception to themselves): a failure of Sluice's own in it defers the deliveries the step had
     * taken, rests the path when the step was connecting, closes the connection and gives the
     * slot back, so nothing waits for an outcome until a restart.
     */
    private void guarded(Slot slot, Transport.Connection connection, List<Delivery> taken, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            abandon(slot, connection, taken, e);
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        }
    }

    private void abandon(Slot slot, Transport.Connection connection, List<Delivery> taken, Throwable error) {
        EgressPath path = slot.path;
        LOG.error("a session via {} to {} failed inside Sluice; {} deliveries deferred, the connection closed",
                path.source.describe(), path.site, taken.size(), error);
        String why = "local error: " + error;
        try {
            for (Delivery d : taken) {
                after.deferLocally(path, d.nextAttempt(), why);
            }
            if (connection == null) {
                // failed while connecting: rest the path rather than trying again in a loop
                after.rest(path, AttemptOutcomes.localError(why));
            }
        } catch (RuntimeException | Error e) {
            LOG.error("deferring after a failed session via {} failed too", path.source.describe(), e);
        } finally {
            if (connection != null && connection.isOpen()) {
                try {
                    connection.quit();
                } catch (RuntimeException e) {
                    LOG.debug("closing after a failed session", e);
                }
            }
            slot.release(false);
        }
    }

    /** Whether this MX address's STARTTLS is remembered as broken now. */
    boolean tlsBroken(InetSocketAddress address) {
        Instant until = brokenTls.get(address);
        return until != null && clock.instant().isBefore(until);
    }

    /* The policy a target is under: what its domain published for it, else the provider rule's tls. */
    static TlsPolicy policyFor(EgressPath path, RouteDecision.Target target) {
        return target.tls() != null ? target.tls() : TlsPolicy.ofRule(path.throttle.rule().tls());
    }

    /*
     * Tries the targets in order (RFC 5321 §5.1: the next MX when one does not answer). {@code inClear}
     * retries the same host without TLS, which only opportunistic TLS and MTA-STS testing allow;
     * {@code lastTls} is the policy outcome of the last failure when it was one of TLS.
     */
    private void connect(Slot slot, List<RouteDecision.Target> targets, int index, SmtpReply last,
                         TlsOutcome lastTls, boolean inClear) {
        EgressPath path = slot.path;
        boolean closed = mailbox.closed();
        if (index >= targets.size() || closed) {
            if (!closed) {
                after.rest(path, last == null ? SmtpReply.of(451, "4.4.4", "no address to try") : last, lastTls);
            }
            slot.release(true);
            return;
        }
        RouteDecision.Target target = targets.get(index);
        TlsPolicy policy = policyFor(path, target);
        // the broken-TLS memory is opportunistic TLS's alone: a policy never learns to go in clear
        boolean clear = inClear || policy.kind() == TlsPolicy.Kind.OPPORTUNISTIC && tlsBroken(target.address());
        ClientSettings cs = transport.settings()
                .withTls(clear ? TlsMode.NONE : policy.tlsMode())
                .withPeer(target.hostName(), clear ? PeerAuthentication.ANY : policy.authentication());
        if (path.source.ehloName() != null) {
            cs = cs.withEhloName(path.source.ehloName());
        }
        transport.connect(target.address(), path.source.address(), cs).whenCompleteAsync((connection, error) -> {
            if (error == null) {
                guarded(slot, connection, List.of(), () -> {
                    // a retry in clear after a TLS failure was reported as that failure already
                    TlsOutcome tls = inClear ? TlsOutcome.of(policy, connection.tls())
                            : tlsResults.established(policy, target.hostName(), connection.tls());
                    session(slot, connection, target, 0, tls);
                });
                return;
            }
            guarded(slot, null, List.of(), () -> failedToConnect(slot, targets, index, target, policy, clear, error));
        }, work);
    }

    private void failedToConnect(Slot slot, List<RouteDecision.Target> targets, int index,
                                 RouteDecision.Target target, TlsPolicy policy, boolean wasClear, Throwable error) {
        EgressPath path = slot.path;
        Throwable cause = AttemptOutcomes.unwrap(error);
        SmtpReply reply = AttemptOutcomes.replyFor(cause, target);
        LOG.debug("{} via {}: {}", target.describe(), path.source.describe(), reply);
        boolean tlsFailed = !wasClear && cause instanceof SmtpClientException e && e.kind() == SmtpClientException.Kind.TLS;
        if (!tlsFailed) {
            connect(slot, targets, index + 1, reply, null, false);
            return;
        }
        TlsOutcome tls = tlsResults.failed(policy, target.hostName(), cause);
        switch (policy.kind()) {
            case OPPORTUNISTIC -> {
                brokenTls.put(target.address(), clock.instant().plus(brokenTlsMemory));
                LOG.info("STARTTLS with {} failed; going there in clear for {}", target.describe(), brokenTlsMemory);
                connect(slot, targets, index, reply, null, true); // the same host again, without TLS
            }
            case MTA_STS_TESTING -> {
                // RFC 8461 §5: testing reports and delivers as if there were no policy; nothing is remembered
                LOG.info("TLS with {} failed under the MTA-STS testing policy of {}; reported, going on in clear",
                        target.describe(), policy.policyDomain());
                connect(slot, targets, index, reply, null, true);
            }
            default -> {
                // under a policy: never clear text; the next MX, and a deferral (not a bounce) when none is left
                SmtpReply why = SmtpReply.of(451, "4.7.5", "TLS with " + target.describe() + " failed under the "
                        + policy.kind().label() + " policy" + (policy.policyDomain() == null ? "" : " of " + policy.policyDomain())
                        + " (" + TlsFailures.classify(cause).label() + "): " + cause.getMessage());
                LOG.info("{}", why);
                connect(slot, targets, index + 1, why, tls, false);
            }
        }
    }

    /* One transaction after another on an open connection, while the path has work. */
    private void session(Slot slot, Transport.Connection connection, RouteDecision.Target target, int sent,
                         TlsOutcome tls) {
        EgressPath path = slot.path;
        Instant now = clock.instant();
        ProviderRule rule = path.throttle.rule();
        boolean stop = mailbox.closed() || sent >= rule.maxDeliveriesPerConnection()
                || !holds.isEmpty() && (holds.holds(new HoldScope.Path(path.source.name(), path.site), now)
                || holds.holds(new HoldScope.SourceProvider(path.source.name(), rule.name()), now)
                || holds.holds(HoldScope.SourceProvider.everywhere(path.source.name()), now));
        if (!stop && path.readyCount.get() > 0 && !path.throttle.tryMessage(System.nanoTime())) {
            // the message rate is spent at the moment of sending, so the receiver never sees a burst;
            // look again within a second at most: a reload or an ended throttle may raise the rate
            long waitNanos = Math.min(1_000_000_000L,
                    Math.max(1_000_000L, path.throttle.waitMessageNanos(System.nanoTime())));
            paced.schedule(() -> work.execute(() -> guarded(slot, connection, List.of(),
                    () -> session(slot, connection, target, sent, tls))), waitNanos, TimeUnit.NANOSECONDS);
            return;
        }
        Delivery delivery = stop ? null : path.poll();
        if (delivery == null) {
            if (!stop && idleMillis > 0 && connection.isOpen()) {
                keepIdle(slot, connection, target, sent, tls);
                return;
            }
            // the slot is free once the session has ended, so the receiver never sees one too many
            connection.quit().whenCompleteAsync((v, e) -> slot.release(true), work);
            return;
        }
        mailbox.wake(); // room on the ready queue
        send(slot, connection, target, sent, delivery, tls);
    }

    /*
     * Parks an open connection whose path has no work now: the next pump of the path resumes it, the
     * scheduler's tick closes it once it has been idle for the idle time. A connection the receiver closed meanwhile is not used again: its slot
     * goes back and the pump opens a fresh one, so no delivery is tried on a dead connection.
     */
    private void keepIdle(Slot slot, Transport.Connection connection, RouteDecision.Target target, int sent,
                          TlsOutcome tls) {
        EgressPath path = slot.path;
        IdleConnection idle = new IdleConnection(
                () -> work.execute(() -> guarded(slot, connection, List.of(), () -> {
                    if (connection.isOpen()) {
                        session(slot, connection, target, sent, tls);
                    } else {
                        slot.release(true);
                    }
                })),
                () -> connection.quit().whenCompleteAsync((v, e) -> slot.release(true), work), clock.millis());
        // no timer per connection (a wake-up per message at a few hundred a second): the scheduler's
        // tick closes what has been idle too long (expireIdle)
        path.idle.addFirst(idle);
        withIdle.add(path);
        // a delivery that became ready between the poll and the park found no idle connection and,
        // with the slot still held, perhaps no room for a new one: look once more
        if (path.readyCount.get() > 0 && path.idle.remove(idle)) {
            idle.resume();
        }
    }

    /** Closes the path's connections idle for the idle time or longer (QUIT; their slots go back); on the scheduler's tick. */
    void expireIdle(EgressPath path, long nowMillis) {
        // most recently parked first, so the oldest is last
        for (IdleConnection oldest; (oldest = path.idle.peekLast()) != null && nowMillis - oldest.since >= idleMillis; ) {
            if (path.idle.removeLastOccurrence(oldest)) {
                oldest.close();
            }
        }
    }

    /*
     * An idle connection holds its source's and its provider's connection caps, as it should: the
     * receiver counts it. When another path needs one of those caps, the oldest idle connection of a
     * path sharing the source or the provider rule is closed, and its slot serves the needy path at a
     * later pump (the next tick at the latest), so idle connections never starve a path with work.
     */
    private void closeIdleSharingCaps(EgressPath needy) {
        String source = needy.source.name();
        String rule = needy.throttle.rule().name();
        for (EgressPath p : withIdle) {
            if (p.idle.isEmpty()) {
                withIdle.remove(p);
            } else if (p != needy && (p.source.name().equals(source) || p.throttle.rule().name().equals(rule))) {
                IdleConnection oldest = p.idle.pollLast();
                if (oldest != null && oldest.close()) {
                    return;
                }
            }
        }
    }

    /** Closes every idle connection (QUIT; their slots go back); at shutdown, after the scheduler stopped. */
    void closeIdle(Iterable<EgressPath> paths) {
        for (EgressPath path : paths) {
            for (IdleConnection idle; (idle = path.idle.pollFirst()) != null; ) {
                try {
                    idle.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing an idle connection at shutdown", e);
                }
            }
        }
    }

    /* Sends {@code delivery} and whatever of its message may share the transaction, then goes on. */
    private void send(Slot slot, Transport.Connection connection, RouteDecision.Target target, int sent,
                      Delivery delivery, TlsOutcome tls) {
        EgressPath path = slot.path;
        ProviderRule rule = path.throttle.rule();
        List<Delivery> batch = List.of(delivery);
        CompletableFuture<TransactionResult> reply;
        try {
            // "no means no": a recipient suppressed after queueing is not sent (journaled final)
            if (outcomes.droppedAsSuppressed(delivery)) {
                warmup.giveBack(path.source, rule.name());
                session(slot, connection, target, sent, tls);
                return;
            }
            StoredMessage message;
            try {
                message = assembly.message(delivery);
            } catch (SpoolException e) {
                // item 9: not dropped from memory: deferred with the retry policy's backoff and an event
                LOG.warn("delivery {} deferred: message not readable from the spool: {}", delivery.id(), e.getMessage());
                after.deferLocally(path, delivery.nextAttempt(), "message not readable from the spool: " + e.getMessage());
                session(slot, connection, target, sent, tls);
                return;
            }
            batch = batch(path, rule, delivery, sent);
            reply = connection.send(assembly.transaction(message, batch));
        } catch (RuntimeException | Error e) {
            abandon(slot, connection, batch, e);
            return;
        }
        List<Delivery> sending = batch;
        reply.whenCompleteAsync((result, error) -> guarded(slot, connection, List.of(), () -> {
            if (error != null) {
                failed(slot, connection, target, sending,
                        AttemptOutcomes.replyFor(AttemptOutcomes.unwrap(error), target), tls);
                return;
            }
            for (Delivery d : sending) {
                SmtpReply r = result.replyFor(d.recipient());
                finish(path, d.nextAttempt(), target, r != null ? r : SmtpReply.of(451, "4.4.0", "no reply for recipient"),
                        commandAnswered(result, d.recipient()), tls);
            }
            if (connection.isOpen()) {
                session(slot, connection, target, sent + sending.size(), tls);
            } else {
                slot.release(true);
            }
        }), work);
    }

    /* One delivery's outcome; when recording it fails, the delivery is deferred rather than stranded. */
    private void finish(EgressPath path, Delivery attempt, RouteDecision.Target target, SmtpReply reply,
                        SmtpCommand command, TlsOutcome tls) {
        try {
            after.finish(path, attempt, target, reply, command, tls);
        } catch (RuntimeException e) {
            LOG.error("the outcome of {} ({}) could not be recorded; deferred", attempt.id(), reply, e);
            after.deferLocally(null, attempt, "outcome not recorded: " + e);
        }
    }

    /*
     * The same body to the same site: one transaction, several RCPT — unless each recipient gets its
     * own return path (VERP) and header fields; each further recipient needs its share of the rate.
     */
    private List<Delivery> batch(EgressPath path, ProviderRule rule, Delivery first, int sent) {
        if (assembly.alone(first)) {
            return List.of(first);
        }
        int room = Math.min(RECIPIENTS_PER_TRANSACTION, rule.maxDeliveriesPerConnection() - sent);
        int allowed = 1;
        while (allowed < room && path.throttle.tryMessage(System.nanoTime())) {
            allowed++;
        }
        return withoutSuppressed(path.withSameMessage(first, allowed));
    }

    /* The batch less recipients suppressed since queueing (the first was checked already). */
    private List<Delivery> withoutSuppressed(List<Delivery> batch) {
        if (batch.size() == 1) {
            return batch;
        }
        List<Delivery> kept = new ArrayList<>(batch.size());
        kept.add(batch.get(0));
        for (Delivery d : batch.subList(1, batch.size())) {
            if (!outcomes.droppedAsSuppressed(d)) {
                kept.add(d);
            }
        }
        return kept;
    }

    /** The command whose reply decided {@code recipient}'s fate: MAIL, its RCPT, or DATA. */
    static SmtpCommand commandAnswered(TransactionResult result, String recipient) {
        if (!result.mailReply().isPositive()) {
            return SmtpCommand.MAIL;
        }
        for (RecipientReply r : result.recipients()) {
            if (r.recipient().equals(recipient)) {
                return r.reply().isPositive() ? SmtpCommand.DATA : SmtpCommand.RCPT;
            }
        }
        return SmtpCommand.UNKNOWN;
    }

    /* The transaction failed as a whole: every recipient gets the failure's reply. */
    private void failed(Slot slot, Transport.Connection connection, RouteDecision.Target target,
                        List<Delivery> batch, SmtpReply reply, TlsOutcome tls) {
        EgressPath path = slot.path;
        for (Delivery d : batch) {
            finish(path, d.nextAttempt(), target, reply, SmtpCommand.UNKNOWN, tls);
        }
        if (reply.code() == 421) {
            after.rest(path, reply); // RFC 5321 §3.8: the rest of this connection's work is deferred
        }
        if (connection.isOpen()) {
            connection.quit().whenCompleteAsync((v, e) -> slot.release(true), work);
        } else {
            slot.release(true);
        }
    }
}
