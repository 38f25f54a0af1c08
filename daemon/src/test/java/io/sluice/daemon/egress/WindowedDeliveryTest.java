package io.sluice.daemon.egress;

import io.sluice.daemon.egress.window.DeliveryWindow;
import io.sluice.daemon.egress.window.WindowPolicy;
import io.sluice.daemon.operate.events.Event;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.queue.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery windows in the engine, on the hand-moved clock: mail waits on the timer wheel until
 * its window opens and is delivered inside it; retries wait too; a window that opens only after
 * the message's max age expires it at that age, never earlier. The rig starts on Monday
 * 2026-03-02 10:00 UTC.
 */
class WindowedDeliveryTest {
    @TempDir
    Path dir;
    private EngineRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private EngineRig rig(WindowPolicy windows) throws Exception {
        rig = new EngineRig(dir, null, null, windows);
        rig.route("example.test", EngineRig.target("mx.example.test", "192.0.2.10"));
        rig.route("example.net", EngineRig.target("mx.example.net", "192.0.2.11"));
        return rig;
    }

    /** Moves the clock to {@code at} in steps (as the scheduler's ticks would), settling after each. */
    private void advanceTo(Instant at) {
        while (rig.clock.instant().isBefore(at)) {
            Duration left = Duration.between(rig.clock.instant(), at);
            rig.advance(left.compareTo(Duration.ofMinutes(30)) > 0 ? Duration.ofMinutes(30) : left);
        }
    }

    private static Map<String, String> window(String text) {
        return Map.of(WindowPolicy.WINDOW_ATTRIBUTE, text);
    }

    @Test
    void mailOutsideItsWindowWaitsOnTheWheelAndIsDeliveredWhenItOpens() throws Exception {
        EngineRig r = rig(WindowPolicy.NONE);
        Delivery d = r.submit(window("tue 09:00-10:00 UTC"), "a@example.test").get(0);
        r.settle();
        assertEquals(0, r.transport.transactions.size(), "Monday 10:00 is outside the window");
        assertNull(r.last(d), "nothing journaled: it is not deferred, it waits");
        assertEquals(1, r.engine.wheel().size(), "it waits on a timer");

        advanceTo(Instant.parse("2026-03-03T08:59:00Z"));
        assertEquals(0, r.transport.transactions.size(), "not a minute before the window");

        advanceTo(Instant.parse("2026-03-03T09:00:00Z"));
        assertInstanceOf(Outcome.Delivered.class, r.last(d));
        Instant at = ((Outcome.Delivered) r.last(d)).at();
        assertTrue(!at.isBefore(Instant.parse("2026-03-03T09:00:00Z")) && at.isBefore(Instant.parse("2026-03-03T10:00:00Z")),
                "delivered inside the window: " + at);
    }

    @Test
    void mailInsideItsWindowGoesAtOnce() throws Exception {
        EngineRig r = rig(WindowPolicy.NONE);
        Delivery d = r.submit(window("mon-fri 09:00-17:00 Europe/Paris"), "a@example.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(d));
    }

    @Test
    void aRetryThatFallsOutsideTheWindowWaitsForItsNextOpening() throws Exception {
        EngineRig r = rig(WindowPolicy.NONE);
        boolean[] busy = {true};
        r.transport.answer(rcpt -> busy[0] ? SmtpReply.of(451, "4.2.0", "busy, later") : SmtpReply.of(250, "2.0.0", "ok"));
        Delivery d = r.submit(window("daily 10:00-10:01 UTC"), "a@example.test").get(0);
        r.settle();
        assertInstanceOf(Outcome.Deferred.class, r.last(d));
        busy[0] = false;

        advanceTo(Instant.parse("2026-03-02T10:05:00Z")); // the retry's time (10:01) is past the window
        assertEquals(1, r.transport.transactions.size(), "the retry waits for the window");
        assertInstanceOf(Outcome.Deferred.class, r.last(d));

        advanceTo(Instant.parse("2026-03-03T09:59:00Z"));
        assertEquals(1, r.transport.transactions.size());
        advanceTo(Instant.parse("2026-03-03T10:00:00Z"));
        assertInstanceOf(Outcome.Delivered.class, r.last(d));
        assertEquals(2, r.transport.transactions.size());
    }

    @Test
    void aWindowOpeningOnlyAfterTheMaxAgeIsNotBouncedBeforeItAndThenExpires() throws Exception {
        EngineRig r = rig(WindowPolicy.NONE);
        // max age 3 days: the deadline is Thursday 10:00, the window opens on Friday
        Delivery d = r.submit(window("fri 09:00-10:00 UTC"), "a@example.test").get(0);
        advanceTo(Instant.parse("2026-03-05T09:59:00Z"));
        assertNull(r.last(d), "nothing happens before the deadline");
        assertTrue(r.events.stream().noneMatch(e -> e.type().equals("Bounce") || e.type().equals("Expiration")));

        advanceTo(Instant.parse("2026-03-05T10:01:00Z"));
        assertInstanceOf(Outcome.Expired.class, r.last(d));
        assertEquals(0, r.transport.transactions.size(), "never sent outside its window");
        Event expiry = r.events.stream().filter(e -> e.type().equals("Expiration")).findFirst().orElseThrow();
        assertEquals("4.4.7", expiry.response().enhancedCode());
        assertTrue(expiry.response().text().contains("delivery window"), expiry.response().text());
        assertNull(expiry.bounceCategory(), "not the recipient's fault: no bounce category");
    }

    @Test
    void sendAtAndTheWindowBothHold() throws Exception {
        EngineRig r = rig(WindowPolicy.NONE);
        Map<String, String> w = window("tue-wed 09:00-10:00 UTC");
        Delivery early = r.submitAt(w, Instant.parse("2026-03-03T08:00:00Z"), "early@example.test").get(0);
        Delivery late = r.submitAt(w, Instant.parse("2026-03-03T11:00:00Z"), "late@example.test").get(0);
        Delivery inside = r.submitAt(w, Instant.parse("2026-03-03T09:30:00Z"), "inside@example.test").get(0);

        advanceTo(Instant.parse("2026-03-03T08:30:00Z"));
        assertEquals(0, r.transport.transactions.size(), "send_at passed, the window not yet open");
        advanceTo(Instant.parse("2026-03-03T09:00:00Z"));
        assertInstanceOf(Outcome.Delivered.class, r.last(early));
        assertNull(r.last(inside), "its send_at is later than the opening");
        advanceTo(Instant.parse("2026-03-03T09:30:00Z"));
        assertInstanceOf(Outcome.Delivered.class, r.last(inside));
        advanceTo(Instant.parse("2026-03-04T08:59:00Z"));
        assertNull(r.last(late), "send_at 11:00 is after Tuesday's window: Wednesday's");
        advanceTo(Instant.parse("2026-03-04T09:00:00Z"));
        assertInstanceOf(Outcome.Delivered.class, r.last(late));
    }

    @Test
    void recipientsEitherSideOfTheDateLineAreDeliveredInTheirOwnMorning() throws Exception {
        EngineRig r = rig(WindowPolicy.NONE);
        String w = "daily 09:00-10:00 recipient";
        // Monday 10:00 UTC is Tuesday 00:00 at Kiritimati (UTC+14) and Sunday 23:00 at Pago Pago (UTC-11)
        Delivery kiritimati = r.submit(Map.of(WindowPolicy.WINDOW_ATTRIBUTE, w,
                WindowPolicy.ZONE_ATTRIBUTE, "Pacific/Kiritimati"), "k@example.test").get(0);
        Delivery pagoPago = r.submit(Map.of(WindowPolicy.WINDOW_ATTRIBUTE, w,
                WindowPolicy.ZONE_ATTRIBUTE, "Pacific/Pago_Pago"), "p@example.net").get(0);
        r.settle();
        assertEquals(2, r.engine.wheel().size());

        advanceTo(Instant.parse("2026-03-02T19:00:00Z")); // 09:00 Tuesday at Kiritimati
        assertInstanceOf(Outcome.Delivered.class, r.last(kiritimati));
        assertNull(r.last(pagoPago));
        advanceTo(Instant.parse("2026-03-02T20:00:00Z")); // 09:00 Monday at Pago Pago
        assertInstanceOf(Outcome.Delivered.class, r.last(pagoPago));
    }

    @Test
    void aTenantsConfiguredWindowHoldsItsMailAndNotOthers() throws Exception {
        EngineRig r = rig(new WindowPolicy(Map.of("acme", DeliveryWindow.parse("tue 09:00-10:00 UTC")), Map.of()));
        Delivery acme = r.submit(Map.of("tenant", "acme"), "a@example.test").get(0);
        Delivery other = r.submit(Map.of("tenant", "other"), "b@example.test").get(0);
        r.settle();
        assertNull(r.last(acme));
        assertInstanceOf(Outcome.Delivered.class, r.last(other));
        advanceTo(Instant.parse("2026-03-03T09:00:00Z"));
        assertInstanceOf(Outcome.Delivered.class, r.last(acme));
    }
}
