package io.sluice.daemon.ingress;

import io.sluice.daemon.egress.Delivery;
import io.sluice.daemon.egress.Dispatcher;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.queue.DeliveryId;
import io.sluice.queue.Envelope;
import io.sluice.queue.MessageId;
import io.sluice.queue.MessagePieces;
import io.sluice.queue.Outcome;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolException;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The one door from every listener into the spool. Returns only once the message is durable
 * (the caller may then say 250/202); then logs the reception and hands one delivery per
 * recipient to the dispatcher.
 */
@Singleton
public final class Intake {
    private final Spool spool;
    private final EventLog events;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final MessageSigner dkim;

    public Intake(Spool spool, EventLog events, Dispatcher dispatcher, Clock clock, MessageSigner dkim) {
        this.spool = spool;
        this.dkim = dkim;
        this.events = events;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    public MessageId accept(Envelope envelope, byte[] message, String peer) throws SpoolException {
        envelope = dkim.withBodyHashes(envelope, message); // hash early: the bh lives in the spool
        MessageId id = spool.accept(envelope, message);
        announce(id, envelope, message.length, peer, null);
        return id;
    }

    /**
     * As {@link #accept(Envelope, byte[], String)}, the message given in pieces over the caller's
     * buffers (see {@link TraceHeaders#pieces}); returns once the spool no longer reads them. With
     * DKIM on, the body hash needs the message in one array, so it is assembled for that.
     */
    public MessageId accept(Envelope envelope, MessagePieces message, String peer) throws SpoolException {
        if (dkim.enabled()) {
            return accept(envelope, message.toArray(), peer);
        }
        MessageId id = spool.accept(envelope, message);
        announce(id, envelope, message.length(), peer, null);
        return id;
    }

    /** One message of a batch. */
    public record Submission(Envelope envelope, byte[] message) {
    }

    /**
     * Appends every message, then waits once: in {@code fsync} mode one group commit covers many
     * appends, so a batch costs about one sync, not one per message. Returns the ids in order,
     * once all are durable. If any append fails, the ones that did succeed are journaled as
     * removed before the exception is thrown, so a failed batch leaves nothing to deliver.
     *
     * @param due when delivery may start (null: now)
     */
    public List<MessageId> acceptAll(List<Submission> batch, String peer, Instant due) throws SpoolException {
        Batch open = batch(peer, due);
        open.append(batch);
        return open.commit();
    }

    /** A batch appended in parts: see {@link Batch}. */
    public Batch batch(String peer, Instant due) {
        return new Batch(peer, due);
    }

    /**
     * Messages appended in parts, announced together: a large request is rendered and appended a
     * chunk at a time, so only one chunk of built messages is in memory (issue 18 item 7), yet
     * nothing is handed to the dispatcher until {@link #commit}; {@link #abandon} (or a failed
     * append) journals every message appended so far as removed, so a request refused half way
     * leaves nothing to deliver. Not thread-safe: one request's thread uses it.
     */
    public final class Batch {
        private final String peer;
        private final Instant due;
        private final List<Envelope> envelopes = new ArrayList<>();
        private final List<Integer> sizes = new ArrayList<>();
        private final List<MessageId> ids = new ArrayList<>();
        private boolean closed;

        private Batch(String peer, Instant due) {
            this.peer = peer;
            this.due = due;
        }

        /** Appends one chunk and waits until it is durable; on failure the whole batch is abandoned. */
        public void append(List<Submission> chunk) throws SpoolException {
            if (closed) {
                throw new IllegalStateException("batch already committed or abandoned");
            }
            List<Envelope> hashed = new ArrayList<>(chunk.size());
            List<CompletableFuture<MessageId>> appends = new ArrayList<>(chunk.size());
            for (Submission s : chunk) {
                Envelope envelope = dkim.withBodyHashes(s.envelope(), s.message());
                hashed.add(envelope);
                appends.add(spool.acceptAsync(envelope, s.message()));
            }
            SpoolException failure = null;
            for (int m = 0; m < appends.size(); m++) {
                try {
                    MessageId id = appends.get(m).join();
                    ids.add(id);
                    envelopes.add(hashed.get(m));
                    sizes.add(chunk.get(m).message().length);
                } catch (CompletionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof SpoolException se ? se : new SpoolException(e.getCause().toString(), e);
                    }
                }
            }
            if (failure != null) {
                abandon();
                throw failure;
            }
        }

        /** Announces every appended message and hands its deliveries to the dispatcher; returns the ids in order. */
        public List<MessageId> commit() {
            if (closed) {
                throw new IllegalStateException("batch already committed or abandoned");
            }
            closed = true;
            for (int m = 0; m < ids.size(); m++) {
                announce(ids.get(m), envelopes.get(m), sizes.get(m), peer, due);
            }
            return List.copyOf(ids);
        }

        /** Journals every message appended so far as removed; nothing of the batch is delivered. */
        public void abandon() {
            if (closed) {
                return;
            }
            closed = true;
            for (int m = 0; m < ids.size(); m++) {
                for (int i = 0; i < envelopes.get(m).recipients().size(); i++) {
                    spool.record(new DeliveryId(ids.get(m), i), new Outcome.Removed(clock.instant(), "intake: batch failed"));
                }
            }
        }
    }

    private void announce(MessageId id, Envelope envelope, int size, String peer, Instant due) {
        events.publish(Event.reception(clock.instant(), id.value(), envelope.sender(), envelope.recipients(),
                size, peer, envelope.receivedAt(), envelope.attributes()));
        List<String> recipients = envelope.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            String recipient = recipients.get(i);
            Delivery delivery = new Delivery(new DeliveryId(id, i), envelope.sender(), recipient,
                    Delivery.domainOf(recipient), envelope.receivedAt(), 0, envelope.attributes());
            if (due == null) {
                dispatcher.submit(delivery);
            } else {
                dispatcher.submitAt(delivery, due);
            }
        }
    }
}
