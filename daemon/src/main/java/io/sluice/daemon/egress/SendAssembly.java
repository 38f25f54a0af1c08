package io.sluice.daemon.egress;

import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.outcome.tokens.DeliveryHeaders;
import io.sluice.protocol.client.Transaction;
import io.sluice.queue.MessageId;
import io.sluice.queue.SpoolException;
import io.sluice.queue.StoredMessage;

import io.sluice.daemon.engagement.TrackingRewriter;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Arrays;
import java.util.List;

/**
 * Builds what goes on the wire for one transaction at send time: the spooled message, the
 * delivery's own MAIL FROM and header fields ({@link DeliveryHeaders}: VERP return path, trace
 * header, List-Unsubscribe), the recipient's own copy of the body when tracking applies
 * ({@link TrackingRewriter}: rewritten here, before signing, so DKIM covers what is sent), and
 * the DKIM signatures over all of it ({@link MessageSigner}), in front of the spooled bytes. Runs
 * on worker threads: signing late keeps it off the scheduler.
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
    private final TrackingRewriter tracking;

    SendAssembly(Messages messages, DeliveryHeaders perDelivery, MessageSigner dkim, Clock clock) {
        this(messages, perDelivery, dkim, clock, TrackingRewriter.OFF);
    }

    SendAssembly(Messages messages, DeliveryHeaders perDelivery, MessageSigner dkim, Clock clock,
                 TrackingRewriter tracking) {
        this.tracking = tracking;
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
        return perDelivery.perRecipient(delivery.sender()) || tracking.applies(delivery.sender(), delivery.attributes());
    }

    /** One transaction for {@code batch}, personalised for its first delivery and signed. */
    Transaction transaction(StoredMessage message, List<Delivery> batch) {
        Delivery first = batch.get(0);
        DeliveryHeaders.Outbound outbound = perDelivery.personalise(first.id(), first.sender(), first.recipient(),
                message.envelope().attributes(), message.body());
        Instant now = clock.instant();
        byte[] body = tracking.rewrite(first.id(), first.sender(), message.envelope().attributes(), message.body(), now);
        byte[] signatures = body == message.body()
                ? dkim.signatures(message.id().value(), body, message.envelope().attributes(), now, outbound.headers())
                // this recipient's own body: the body hash stored at ingress is not its, nor are cached signatures
                : dkim.signatures(first.id().toString(), body, withoutBodyHashes(message.envelope().attributes()), now,
                        outbound.headers());
        return new Transaction(outbound.sender(), recipients(batch), concat(signatures, outbound.headers()), body);
    }

    /*
     * The batch's recipients as the immutable list the Transaction keeps as it is: a stream's
     * toList() may hold nulls, so the Transaction copied it again, and the stream itself was garbage
     * on every delivery (issue 14).
     */
    static List<String> recipients(List<Delivery> batch) {
        if (batch.size() == 1) {
            return List.of(batch.get(0).recipient());
        }
        String[] out = new String[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = batch.get(i).recipient();
        }
        return List.of(out);
    }

    private static Map<String, String> withoutBodyHashes(Map<String, String> attributes) {
        Map<String, String> out = new HashMap<>(attributes);
        out.keySet().removeIf(k -> k.startsWith(MessageSigner.BODY_HASH_ATTRIBUTE));
        return out;
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
