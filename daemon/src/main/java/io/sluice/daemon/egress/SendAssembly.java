package io.sluice.daemon.egress;

import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.outcome.tokens.DeliveryHeaders;
import io.sluice.protocol.client.Transaction;
import io.sluice.queue.MessageId;
import io.sluice.queue.SpoolException;
import io.sluice.queue.StoredMessage;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Builds what goes on the wire for one transaction at send time: the spooled message, the
 * delivery's own MAIL FROM and header fields ({@link DeliveryHeaders}: VERP return path, trace
 * header, List-Unsubscribe), and the DKIM signatures over all of it ({@link MessageSigner}), in
 * front of the spooled bytes. Runs on worker threads: signing late keeps it off the scheduler.
 */
final class SendAssembly {
    /** Where spooled messages are read from: the spool in production. */
    @FunctionalInterface
    interface Messages {
        StoredMessage read(MessageId id) throws SpoolException;
    }

    private final Messages messages;
    private final DeliveryHeaders perDelivery;
    private final MessageSigner dkim;
    private final Clock clock;

    SendAssembly(Messages messages, DeliveryHeaders perDelivery, MessageSigner dkim, Clock clock) {
        this.messages = messages;
        this.perDelivery = perDelivery;
        this.dkim = dkim;
        this.clock = clock;
    }

    /** The delivery's message; the caller defers the delivery when the spool cannot give it. */
    StoredMessage message(Delivery delivery) throws SpoolException {
        StoredMessage m = messages.read(delivery.id().message());
        if (m == null) {
            throw new SpoolException("no message " + delivery.id().message());
        }
        return m;
    }

    /**
     * True when each recipient gets its own return path and header fields, so recipients of one
     * message cannot share a transaction.
     */
    boolean alone(Delivery delivery) {
        return perDelivery.perRecipient(delivery.sender());
    }

    /** One transaction for {@code batch}, personalised for its first delivery and signed. */
    Transaction transaction(StoredMessage message, List<Delivery> batch) {
        Delivery first = batch.get(0);
        DeliveryHeaders.Outbound outbound = perDelivery.personalise(first.id(), first.sender(), first.recipient(),
                message.envelope().attributes(), message.body());
        byte[] signatures = dkim.signatures(message.id().value(), message.body(), message.envelope().attributes(),
                clock.instant(), outbound.headers());
        return new Transaction(outbound.sender(), batch.stream().map(Delivery::recipient).toList(),
                concat(signatures, outbound.headers()), message.body());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length == 0) {
            return a;
        }
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
