package io.sluice.daemon.egress;

import io.sluice.daemon.config.RatesSettings;
import io.sluice.daemon.egress.breaker.BreakerRules;
import io.sluice.daemon.egress.breaker.CircuitBreaker;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.outcome.rates.Rates;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.queue.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The circuit breaker over the real engine (hand-moved clock, scripted receivers): the rates are
 * fed the engine's own events, complaints come as the feedback loop's Feedback events, and a
 * pause is an ordinary hold that the next mail waits behind.
 */
class CircuitBreakerTest {
    /* Two providers with a feed, one without; low thresholds so a handful of mail decides. */
    private static final String PROVIDERS = """
            providers:
              - name: fbl
                domains: [fbl.test]
                feedback-loop: true
              - name: nofeed
                domains: [nofeed.test]
              - name: other
                domains: [other.test]
                feedback-loop: true
            """;
    private static final String RULES = """
            rules:
              - name: complaint-pause
                signal: complaint
                over: delivered
                threshold: 10%
                min-volume: 10
                window: 24h
                scope: tenant
                action: pause
                pause-for: 24h
              - name: complaint-warn
                signal: complaint
                over: delivered
                threshold: 5%
                min-volume: 10
                window: 24h
                scope: tenant
                action: warn
              - name: block-cool-down
                signal: blocked
                over: attempts
                threshold: 20%
                min-volume: 5
                window: 15m
                scope: source
                action: pause
                pause-for: 1h
            """;

    @TempDir
    Path dir;
    private EngineRig rig;
    private Rates rates;
    private int fed;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private EngineRig rig() throws Exception {
        rig = new EngineRig(dir, null, PROVIDERS);
        for (String domain : List.of("fbl.test", "nofeed.test", "other.test")) {
            rig.route(domain, EngineRig.target("mx." + domain, "192.0.2." + (10 + domain.length())));
        }
        rates = new Rates(RatesSettings.defaults());
        BreakerRules rules = BreakerRules.load(write(RULES));
        new CircuitBreaker(rates, rules, rig.engine, rig.events::add).start();
        return rig;
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("breaker.yml"), text, StandardCharsets.UTF_8);
    }

    /** Settles the engine and gives the rates every event published since the last call. */
    private void settle() {
        rig.settle();
        while (fed < rig.events.size()) {
            rates.accept(rig.events.get(fed++));
        }
    }

    private List<Delivery> send(String tenant, String domain, int n) {
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll(rig.submit(Map.of("tenant", tenant), "r" + i + "@" + domain));
        }
        settle();
        return out;
    }

    private void complain(Delivery d, String tenant) {
        rig.events.add(Event.feedback("Feedback", rig.clock.instant(), d.id().message().value(), d.id().recipient(),
                d.recipient(), tenant, "suppressed", "complaint", "fbl@bounces.test", "feedback-type abuse", null, null));
        settle();
    }

    private List<Event> ofType(String type) {
        return rig.events.stream().filter(e -> type.equals(e.type())).toList();
    }

    @Test
    void complaintsOverTheThresholdPauseTheTenantTowardsThatProviderOnlyUntilResumed() throws Exception {
        EngineRig r = rig();
        r.transport.answer(rcpt -> SmtpReply.of(250, "2.0.0", "ok"));
        List<Delivery> sent = send("acme", "fbl.test", 20);
        send("beta", "fbl.test", 20);

        complain(sent.get(0), "acme"); // 1 of 20: 5 %, the warning's line
        assertEquals(1, ofType("BreakerWarning").size(), "warned at 5 %");
        assertFalse(r.engine.isHeld(new HoldScope.TenantProvider("acme", "fbl")));
        complain(sent.get(1), "acme"); // 2 of 20: 10 %
        HoldScope paused = new HoldScope.TenantProvider("acme", "fbl");
        assertTrue(r.engine.isHeld(paused), "paused at 10 %");
        Event suspension = ofType("Suspension").get(0);
        assertEquals("tenant:acme>fbl", suspension.scope());
        assertEquals("breaker:complaint-pause", suspension.rule());
        assertTrue(suspension.note().contains("2 of 20 delivered"), suspension.note());
        assertEquals(r.clock.instant().plus(Duration.ofHours(24)), suspension.until());

        int before = r.transport.transactions.size();
        Delivery waits = send("acme", "fbl.test", 1).get(0);
        Delivery otherTenant = send("beta", "fbl.test", 1).get(0);
        Delivery otherProvider = send("acme", "other.test", 1).get(0);
        assertNull(r.last(waits), "acme's next mail to fbl waits");
        assertEquals(1, r.waiting());
        assertInstanceOf(Outcome.Delivered.class, r.last(otherTenant));
        assertInstanceOf(Outcome.Delivered.class, r.last(otherProvider));
        assertEquals(before + 2, r.transport.transactions.size());

        assertTrue(r.engine.resumeByOperator(HoldScope.parse("tenant:acme>fbl")));
        settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(waits), "resume lets it go");
        assertFalse(r.engine.isHeld(paused), "the old complaints do not trip it again");
    }

    @Test
    void aProviderWithoutAFeedbackLoopIsNeverJudgedOnComplaints() throws Exception {
        EngineRig r = rig();
        r.transport.answer(rcpt -> SmtpReply.of(250, "2.0.0", "ok"));
        List<Delivery> sent = send("acme", "nofeed.test", 10);
        for (Delivery d : sent) {
            complain(d, "acme");
        }
        assertFalse(r.engine.isHeld(new HoldScope.TenantProvider("acme", "nofeed")));
        assertTrue(ofType("BreakerWarning").isEmpty());
    }

    @Test
    void campaignMailIsPausedPerCampaign() throws Exception {
        EngineRig r = rig();
        r.transport.answer(rcpt -> SmtpReply.of(250, "2.0.0", "ok"));
        List<Delivery> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.addAll(r.submit(Map.of("tenant", "acme", "campaign", "spring"), "c" + i + "@fbl.test"));
        }
        settle();
        complain(sent.get(0), "acme");
        assertTrue(r.engine.isHeld(new HoldScope.CampaignProvider("spring", "fbl")));
        assertFalse(r.engine.isHeld(new HoldScope.TenantProvider("acme", "fbl")));
        Delivery plain = send("acme", "fbl.test", 1).get(0);
        assertInstanceOf(Outcome.Delivered.class, r.last(plain), "the tenant's other mail flows");
    }

    @Test
    void blockRepliesTakeTheSourceOutOfTheProvidersRotationForTheCoolDown() throws Exception {
        EngineRig r = rig();
        r.transport.answer(rcpt -> rcpt.startsWith("blockme")
                ? SmtpReply.of(554, "5.7.1", "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org")
                : SmtpReply.of(250, "2.0.0", "ok"));
        r.submit(Map.of("tenant", "acme"), "blockme1@fbl.test", "blockme2@fbl.test");
        send("acme", "fbl.test", 6); // 2 blocked of 8 attempts: 25 %
        assertEquals(2, r.count(Outcome.Bounced.class), "a block is a bounce of that delivery as before");
        HoldScope source = new HoldScope.SourceProvider("default", "fbl");
        assertTrue(r.engine.isHeld(source));
        Delivery waits = send("beta", "fbl.test", 1).get(0);
        assertNull(r.last(waits), "no tenant sends from the source to that provider");
        Delivery elsewhere = send("beta", "other.test", 1).get(0);
        assertInstanceOf(Outcome.Delivered.class, r.last(elsewhere));

        r.clock.advance(Duration.ofHours(1));
        settle();
        assertInstanceOf(Outcome.Delivered.class, r.last(waits), "the cool-down ends by itself");
        assertFalse(r.engine.isHeld(source));
    }

    @Test
    void theShippedComplaintPauseTripsAtExactlyThreeInAThousand() throws Exception {
        rig = new EngineRig(dir, null, PROVIDERS);
        rates = new Rates(RatesSettings.defaults());
        new CircuitBreaker(rates, BreakerRules.load((Path) null), rig.engine, rig.events::add).start();
        io.sluice.daemon.outcome.rates.RateKey acme = new io.sluice.daemon.outcome.rates.RateKey("fbl", "default",
                "acme", null);
        for (int i = 0; i < 1000; i++) {
            rates.record(acme, io.sluice.daemon.outcome.rates.Signal.DELIVERED, rig.clock.instant());
        }
        rates.record(acme, io.sluice.daemon.outcome.rates.Signal.COMPLAINT, rig.clock.instant());
        assertEquals(1, ofType("BreakerWarning").size(), "1 in 1,000 is the warning's 0.1 %");
        rates.record(acme, io.sluice.daemon.outcome.rates.Signal.COMPLAINT, rig.clock.instant());
        assertFalse(rig.engine.isHeld(new HoldScope.TenantProvider("acme", "fbl")), "2 in 1,000 is under 0.3 %");
        rates.record(acme, io.sluice.daemon.outcome.rates.Signal.COMPLAINT, rig.clock.instant());
        assertTrue(rig.engine.isHeld(new HoldScope.TenantProvider("acme", "fbl")), "3 in 1,000 is 0.3 %");
    }
}
