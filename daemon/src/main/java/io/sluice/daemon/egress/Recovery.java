package io.sluice.daemon.egress;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.sluice.queue.LiveDelivery;
import io.sluice.queue.Spool;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** At start-up, hands every delivery the spool recovered back to the dispatcher, at its due time. */
@io.micronaut.context.annotation.Requires(notEnv = io.sluice.daemon.config.Environments.CHECK_CONFIG) // check-config opens nothing
@Singleton
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final Spool spool;
    private final Dispatcher dispatcher;

    Recovery(Spool spool, Dispatcher dispatcher) {
        this.spool = spool;
        this.dispatcher = dispatcher;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        int n = 0;
        for (LiveDelivery live : spool.recovered()) {
            Delivery delivery = new Delivery(live.id(), live.sender(), live.recipient(),
                    Delivery.domainOf(live.recipient()), live.receivedAt(), live.attempts(), live.attributes());
            Instant due = live.nextAttemptAt();
            String sendAt = live.attributes().get("send_at"); // scheduled by the HTTP API
            if (due == null && sendAt != null) {
                due = Instant.parse(sendAt);
            }
            if (due == null) {
                dispatcher.submit(delivery);
            } else {
                dispatcher.submitAt(delivery, due);
            }
            n++;
        }
        LOG.info("recovered {} live deliveries from the spool", n);
    }
}
