package io.sluice.daemon.ingress;

import io.sluice.daemon.delivery.Delivery;
import io.sluice.daemon.delivery.Dispatcher;
import io.sluice.daemon.dkim.MessageSigner;
import io.sluice.daemon.egress.SluiceHeaders;
import io.sluice.daemon.events.Event;
import io.sluice.daemon.events.EventLog;
import io.sluice.queue.DeliveryId;
import io.sluice.queue.Envelope;
import io.sluice.queue.MessageId;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolException;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

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
        envelope = SluiceHeaders.withAttributes(envelope, message); // tenant, campaign, pool, class
        envelope = dkim.withBodyHashes(envelope, message); // hash early: the bh lives in the spool
        MessageId id = spool.accept(envelope, message);
        events.publish(Event.reception(clock.instant(), id.value(), envelope.sender(), envelope.recipients(),
                message.length, peer, envelope.receivedAt()));
        List<String> recipients = envelope.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            String recipient = recipients.get(i);
            dispatcher.submit(new Delivery(new DeliveryId(id, i), envelope.sender(), recipient,
                    Delivery.domainOf(recipient), envelope.receivedAt(), 0, envelope.attributes()));
        }
        return id;
    }
}
