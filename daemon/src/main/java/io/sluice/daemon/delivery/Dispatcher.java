package io.sluice.daemon.delivery;

import io.sluice.daemon.config.DeliverySettings;
import io.sluice.daemon.dkim.MessageSigner;
import io.sluice.daemon.verp.DeliveryHeaders;
import io.sluice.protocol.client.SmtpClient;
import io.sluice.protocol.client.SmtpClientException;
import io.sluice.protocol.client.SmtpConnection;
import io.sluice.protocol.client.Transaction;
import io.sluice.protocol.client.TransactionResult;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolException;
import io.sluice.queue.StoredMessage;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Takes due deliveries and sends them. Deliveries are grouped by destination; each destination
 * gets up to {@code connections-per-destination} connections, and each connection takes the
 * destination's ready deliveries one transaction after another until none are left (or it has
 * carried {@code messages-per-connection}), so a busy destination reuses its connections.
 *
 * <p>A destination that cannot be reached (connect or TLS failure, a 421 greeting, DNS failure)
 * is left alone for {@code destination-down-for}: its queued deliveries are deferred at once,
 * not tried one by one against a host that is down.
 */
@Singleton
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ConcurrentHashMap<String, Destination> destinations = new ConcurrentHashMap<>();
    private final Router router;
    private final SmtpClient client;
    private final Spool spool;
    private final DeliveryOutcomes outcomes;
    private final Clock clock;
    private final MessageSigner dkim;
    private final DeliveryHeaders perDelivery;
    private final int connectionsPerDestination;
    private final int messagesPerConnection;
    private final Duration downFor;
    private final ScheduledExecutorService timers;
    private final ExecutorService work;
    private volatile boolean closed;

    public Dispatcher(Router router, SmtpClient client, Spool spool, DeliveryOutcomes outcomes, Clock clock,
                      DeliverySettings settings, MessageSigner dkim, DeliveryHeaders perDelivery) {
        this.router = router;
        this.perDelivery = perDelivery;
        this.dkim = dkim;
        this.client = client;
        this.spool = spool;
        this.outcomes = outcomes;
        this.clock = clock;
        this.connectionsPerDestination = settings.connectionsPerDestination();
        this.messagesPerConnection = settings.messagesPerConnection();
        this.downFor = settings.destinationDownFor();
        this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("sluice-retry"));
        this.work = Executors.newFixedThreadPool(2, daemonThreads("sluice-dispatch"));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Hands over a delivery that is due now. */
    public void submit(Delivery delivery) {
        if (closed) {
            return; // still live in the spool: recovery picks it up at the next start
        }
        Destination destination = destinations.computeIfAbsent(router.destinationKey(delivery.domain()),
                Destination::new);
        destination.ready.add(delivery);
        pump(destination);
    }

    /** Hands over a delivery that is due later. */
    public void submitAt(Delivery delivery, Instant due) {
        long delay = Duration.between(clock.instant(), due).toMillis();
        if (delay <= 0) {
            submit(delivery);
        } else if (!closed) {
            timers.schedule(() -> submit(delivery), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void pump(Destination destination) {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        if (destination.isDown(now)) {
            wakeAfterRest(destination, now);
            return;
        }
        while (!destination.ready.isEmpty() && destination.tryOpenSlot(connectionsPerDestination)) {
            open(destination);
        }
    }

    private void wakeAfterRest(Destination destination, Instant now) {
        if (destination.wakeScheduled.compareAndSet(false, true)) {
            long delay = Math.max(1, Duration.between(now, destination.downUntil()).toMillis());
            timers.schedule(() -> {
                destination.wakeScheduled.set(false);
                pump(destination);
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void open(Destination destination) {
        router.route(destination.key).whenCompleteAsync((decision, error) -> {
            if (error != null) {
                LOG.error("routing {} failed", destination.key, error);
                rest(destination, SmtpReply.of(451, "4.3.0", "internal routing error"), null);
                release(destination);
            } else if (decision instanceof RouteDecision.Refused refused) {
                bounceAll(destination, refused.reply());
                release(destination);
            } else if (decision instanceof RouteDecision.Unavailable unavailable) {
                rest(destination, unavailable.reply(), null);
                release(destination);
            } else {
                connect(destination, ((RouteDecision.Targets) decision).targets(), 0, null);
            }
        }, work);
    }

    /** Tries the targets in order (RFC 5321 §5.1: the next MX when one does not answer). */
    private void connect(Destination destination, List<RouteDecision.Target> targets, int index, SmtpReply last) {
        if (index >= targets.size()) {
            rest(destination, last, targets.isEmpty() ? null : targets.get(targets.size() - 1).describe());
            release(destination);
            return;
        }
        RouteDecision.Target target = targets.get(index);
        client.connect(target.address(), null).whenCompleteAsync((connection, error) -> {
            if (error != null) {
                SmtpReply reply = replyFor(unwrap(error), target);
                LOG.debug("{}: {}", target.describe(), reply);
                connect(destination, targets, index + 1, reply);
            } else {
                session(destination, connection, target, 0);
            }
        }, work);
    }

    /** One transaction after another on an open connection, while the destination has work. */
    private void session(Destination destination, SmtpConnection connection, RouteDecision.Target target, int sent) {
        Delivery delivery = closed || sent >= messagesPerConnection ? null : destination.ready.poll();
        if (delivery == null) {
            connection.quit();
            release(destination);
            return;
        }
        // issue 6, "no means no": a recipient suppressed after queueing is not sent (journaled final)
        if (outcomes.droppedAsSuppressed(delivery)) {
            session(destination, connection, target, sent);
            return;
        }
        StoredMessage message;
        try {
            message = spool.read(delivery.id().message());
        } catch (SpoolException e) {
            LOG.warn("delivery {} skipped: message not readable from the spool: {}", delivery.id(), e.getMessage());
            session(destination, connection, target, sent);
            return;
        }
        Delivery attempt = delivery.nextAttempt();
        // issue 6: per-delivery MAIL FROM (VERP) and header fields (trace, List-Unsubscribe), signed below
        DeliveryHeaders.Outbound outbound = perDelivery.personalise(delivery.id(), delivery.sender(),
                delivery.recipient(), message.envelope().attributes(), message.body());
        // sign late, here on a worker thread: the DKIM-Signature fields go out before the spooled bytes
        byte[] signatures = dkim.signatures(message.id().value(), message.body(), message.envelope().attributes(),
                clock.instant(), outbound.headers());
        Transaction transaction = new Transaction(outbound.sender(), List.of(delivery.recipient()),
                concat(signatures, outbound.headers()), message.body());
        connection.send(transaction).whenCompleteAsync((result, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                SmtpReply reply = replyFor(cause, target);
                schedule(outcomes.record(attempt, destination.key, target.describe(), reply, null));
                if (reply.code() == 421) {
                    rest(destination, reply, target.describe());
                }
                if (connection.isOpen()) {
                    connection.quit();
                }
                release(destination);
                return;
            }
            SmtpReply reply = decidingReply(result, delivery.recipient());
            schedule(outcomes.record(attempt, destination.key, target.describe(), reply, null));
            if (connection.isOpen()) {
                session(destination, connection, target, sent + 1);
            } else {
                release(destination);
            }
        }, work);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length == 0) {
            return a;
        }
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static SmtpReply decidingReply(TransactionResult result, String recipient) {
        SmtpReply reply = result.replyFor(recipient);
        return reply != null ? reply : SmtpReply.of(451, "4.4.0", "no reply for recipient");
    }

    /** Defers everything queued for the destination and leaves it alone for a while. */
    private void rest(Destination destination, SmtpReply reply, String host) {
        Instant until = clock.instant().plus(downFor);
        destination.markDown(until);
        Delivery queued;
        while ((queued = destination.ready.poll()) != null) {
            schedule(outcomes.record(queued.nextAttempt(), destination.key, host, reply, until));
        }
    }

    private void bounceAll(Destination destination, SmtpReply reply) {
        Delivery queued;
        while ((queued = destination.ready.poll()) != null) {
            outcomes.record(queued.nextAttempt(), destination.key, null, reply, null);
        }
    }

    private void schedule(DeliveryOutcomes.Next next) {
        if (next instanceof DeliveryOutcomes.Next.RetryAt retry) {
            submitAt(retry.delivery(), retry.due());
        }
    }

    private void release(Destination destination) {
        destination.connections.decrementAndGet();
        if (!destination.ready.isEmpty()) {
            pump(destination);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** A reply standing for a failure that produced none (connection refused, timeout, TLS). */
    private static SmtpReply replyFor(Throwable error, RouteDecision.Target target) {
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

    @PreDestroy
    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
