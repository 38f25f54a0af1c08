package io.sluice.daemon.egress;

import io.sluice.protocol.client.Transaction;
import io.sluice.queue.DeliveryId;
import io.sluice.queue.MessageId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The transaction's recipients, built without a stream (issue 14): the batch's, in its order, kept as built. */
class SendAssemblyRecipientsTest {
    private static Delivery delivery(MessageId id, int i, String recipient) {
        return new Delivery(new DeliveryId(id, i), "s@src.test", recipient, Delivery.domainOf(recipient),
                Instant.EPOCH, 0, Map.of());
    }

    @Test
    void recipientsAreTheBatchsInOrder() {
        MessageId id = MessageId.next();
        assertEquals(List.of("a@x.test"), SendAssembly.recipients(List.of(delivery(id, 0, "a@x.test"))));
        List<Delivery> three = List.of(delivery(id, 2, "c@x.test"), delivery(id, 0, "a@x.test"), delivery(id, 1, "b@x.test"));
        assertEquals(List.of("c@x.test", "a@x.test", "b@x.test"), SendAssembly.recipients(three));
    }

    @Test
    void theTransactionKeepsTheListWithoutCopyingIt() {
        MessageId id = MessageId.next();
        for (List<Delivery> batch : List.of(List.of(delivery(id, 0, "a@x.test")),
                List.of(delivery(id, 0, "a@x.test"), delivery(id, 1, "b@x.test"), delivery(id, 2, "c@x.test")))) {
            List<String> recipients = SendAssembly.recipients(batch);
            assertSame(recipients, new Transaction("s@src.test", recipients, new byte[]{'x'}).recipients());
        }
    }
}
