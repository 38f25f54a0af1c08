package io.sluice.daemon.outcome.rates;

import io.sluice.daemon.config.RatesSettings;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rolling counts: what each event counts as, how the windows slide, and the key cap. */
class RatesTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String ID = "01KB4Y2M5X4ZB7D5G7QW5S9N1T";
    private static final RateKey ACME = new RateKey("yahoo", "s1", "acme", null);

    private final Rates rates = new Rates(RatesSettings.defaults());

    private static Event delivery(String type, Instant at, int index, String category, String reason) {
        Event e = Event.delivery(type, at, ID, index, "a@src.test", "r" + index + "@yahoo.test", "yahoo.test",
                "mx", new Response(type.equals("Delivery") ? 250 : 550, null, "x"), 1, at, null)
                .withEgress("s1[192.0.2.1]", "yahoo").withLabels("acme", null);
        return category == null ? e : e.withBounce(category, reason);
    }

    private RateCounts m15(RateKey key, Instant now) {
        return rates.sum(Rates.Table.DETAIL, key, RateWindow.M15, now, null);
    }

    @Test
    void eachEventCountsAsItsSignal() {
        rates.accept(delivery("Delivery", T0, 0, null, null));
        rates.accept(delivery("TransientFailure", T0, 1, "spam-related", "blocked"));
        rates.accept(delivery("Bounce", T0, 2, "bad-mailbox", "userunknown"));
        rates.accept(delivery("Bounce", T0, 3, "policy-related", "blocked"));
        RateCounts c = m15(ACME, T0);
        assertEquals(new RateCounts(1, 1, 2, 1, 2, 0, 0), c);
        assertEquals(4, c.attempts());
    }

    @Test
    void aConnectionLevelFailureIsNeverABlockWhateverItsWords() {
        for (String code : new String[] {"4.4.1", "4.4.2", "4.3.0"}) {
            rates.accept(Event.delivery("TransientFailure", T0, ID, 7, "a@src.test", "r7@yahoo.test", "yahoo.test", "mx",
                    new Response(451, code, "connection to mx closed: Connection reset by peer"), 1, T0, null)
                    .withEgress("s1[192.0.2.1]", "yahoo").withLabels("acme", null).withBounce("spam-related", "blocked"));
        }
        rates.accept(delivery("TransientFailure", T0, 8, "spam-related", "blocked")); // 550 from the receiver
        RateCounts c = m15(ACME, T0);
        assertEquals(4, c.deferred());
        assertEquals(1, c.blocked(), "only the receiver's own refusal is a block");
    }

    @Test
    void anEventWithoutAProviderWasNoAttemptAndIsNotCounted() {
        rates.accept(Event.delivery("Bounce", T0, ID, 0, "a@src.test", "r@x.test", "x.test", null,
                new Response(550, "5.7.1", "recipient is suppressed"), 0, T0, null).withBounce("suppressed", "x"));
        assertEquals(0, rates.keys(Rates.Table.DETAIL));
    }

    @Test
    void aComplaintCountsWhereTheDeliveryItNamesWent() {
        rates.accept(delivery("Delivery", T0, 4, null, null));
        rates.accept(Event.feedback("Feedback", T0.plus(Duration.ofHours(2)), ID, 4, "r4@yahoo.test", "acme",
                "suppressed", "complaint", "fbl@b.test", "feedback-type abuse", null, null));
        rates.accept(Event.feedback("Feedback", T0.plus(Duration.ofHours(2)), ID, 4, "r4@yahoo.test", "acme",
                "recorded", null, "fbl@b.test", "feedback-type not-spam", null, null));
        rates.accept(Event.feedback("Feedback", T0.plus(Duration.ofHours(2)), null, null, "r4@yahoo.test", null,
                "ignored", null, "fbl@b.test", "no delivery token", null, null));
        rates.accept(Event.feedback("Unsubscribe", T0.plus(Duration.ofHours(2)), null, null, "u@yahoo.test", "acme",
                "suppressed", "unsubscribe", "one-click", null, null, null));
        Instant now = T0.plus(Duration.ofHours(2));
        RateCounts h24 = rates.sum(Rates.Table.SENDER, ACME.sender(), RateWindow.H24, now, null);
        assertEquals(1, h24.delivered());
        assertEquals(1, h24.complaints(), "the genuine complaint only");
        RateKey unknown = new RateKey(RateKey.OTHER, RateKey.OTHER, "acme", null);
        assertEquals(1, rates.sum(Rates.Table.DETAIL, unknown, RateWindow.H24, now, null).unsubscribes(),
                "a one-click unsubscribe names no delivery: provider other");
    }

    @Test
    void windowsSlide() {
        rates.record(ACME, Signal.DELIVERED, T0);
        rates.record(ACME, Signal.DELIVERED, T0.plus(Duration.ofMinutes(20)));
        Instant now = T0.plus(Duration.ofMinutes(30));
        assertEquals(1, m15(ACME, now).delivered(), "the first is older than 15 minutes");
        assertEquals(2, rates.sum(Rates.Table.DETAIL, ACME, RateWindow.H1, now, null).delivered());
        Instant later = T0.plus(Duration.ofMinutes(90));
        assertEquals(0, rates.sum(Rates.Table.DETAIL, ACME, RateWindow.H1, later, null).delivered());
        assertEquals(2, rates.sum(Rates.Table.DETAIL, ACME, RateWindow.H24, later, null).delivered());
        Instant nextDay = T0.plus(Duration.ofHours(24));
        assertEquals(0, rates.sum(Rates.Table.DETAIL, ACME, RateWindow.H24, nextDay, null).delivered(),
                "a day later the old hour's bucket is out of the window");
    }

    @Test
    void aFloorLeavesOutEverythingUpToTheBucketItFallsIn() {
        rates.record(ACME, Signal.COMPLAINT, T0);
        rates.record(ACME, Signal.COMPLAINT, T0.plus(Duration.ofSeconds(30)));
        rates.record(ACME, Signal.COMPLAINT, T0.plus(Duration.ofMinutes(2)));
        Instant now = T0.plus(Duration.ofMinutes(3));
        assertEquals(3, m15(ACME, now).complaints());
        assertEquals(1, rates.sum(Rates.Table.DETAIL, ACME, RateWindow.M15, now, T0.plus(Duration.ofSeconds(10)))
                .complaints(), "only the minute bucket after the floor's own");
    }

    @Test
    void pastTheCapNewKeysCountUnderTheProvidersOtherKey() {
        Rates small = new Rates(new RatesSettings(16, 100, 5));
        for (int i = 0; i < 20; i++) {
            small.record(new RateKey("yahoo", "s1", "t" + i, null), Signal.DELIVERED, T0);
        }
        assertEquals(16, small.keys(Rates.Table.DETAIL) - 1, "16 keys and the overflow key");
        RateKey overflow = new RateKey("yahoo", RateKey.OTHER, RateKey.OTHER, null);
        assertEquals(4, small.sum(Rates.Table.DETAIL, overflow, RateWindow.M15, T0, null).delivered());
        assertEquals(4, small.overflowed(Rates.Table.DETAIL));
        assertEquals(20, small.sum(Rates.Table.SOURCE, new RateKey("yahoo", "s1", null, null), RateWindow.M15, T0,
                null).delivered(), "the roll-ups still count all of them");
        Instant dayLater = T0.plus(Duration.ofHours(25));
        small.record(new RateKey("yahoo", "s1", "fresh", null), Signal.DELIVERED, dayLater);
        assertEquals(1, small.sum(Rates.Table.DETAIL, new RateKey("yahoo", "s1", "fresh", null), RateWindow.M15,
                dayLater, null).delivered(), "idle keys make room");
    }

    @Test
    void listenersHearEverySignalWithTheDetailKey() {
        List<String> heard = new ArrayList<>();
        rates.listen((key, signal, at) -> heard.add(key.tenant() + ":" + signal.label()));
        rates.accept(delivery("Bounce", T0, 0, "bad-mailbox", "userunknown"));
        assertEquals(List.of("acme:bounced", "acme:hard-bounced"), heard);
        assertTrue(rates.rows(Rates.Table.DETAIL, T0).get(0).h24().hardBounced() == 1);
    }

    private static Event engagement(String type, Instant at, int index, String traffic, String campaign) {
        return Event.feedback(type, at, ID, index, null, "acme", traffic, traffic.equals("machine") ? "bot" : null,
                "browser", null, null, null).withEngagement(null, campaign, null, null);
    }

    @Test
    void opensAndClicksCountBesideTheDeliveryTheyFollowAndMachineTrafficApart() {
        rates.accept(delivery("Delivery", T0, 5, null, null));
        Instant later = T0.plus(Duration.ofHours(1));
        rates.accept(engagement("Open", later, 5, "human", null));
        rates.accept(engagement("Open", later, 5, "machine", null));
        rates.accept(engagement("Open", later, 5, "machine", null));
        rates.accept(engagement("Click", later, 5, "human", null));
        rates.accept(engagement("Click", later, 5, "machine", null));
        RateCounts h24 = rates.sum(Rates.Table.SENDER, ACME.sender(), RateWindow.H24, later, null);
        assertEquals(new RateCounts(1, 0, 0, 0, 0, 0, 0, 1, 1, 2, 1), h24);
        assertEquals(1, h24.attempts(), "an open is no attempt");

        rates.accept(engagement("Open", later, 99, "human", "spring")); // a delivery no longer remembered
        RateKey unknown = new RateKey(RateKey.OTHER, RateKey.OTHER, "acme", "spring");
        assertEquals(1, rates.sum(Rates.Table.DETAIL, unknown, RateWindow.H24, later, null).opens(),
                "counted under provider other, with the campaign its token names");
    }
}
