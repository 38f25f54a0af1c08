package io.sluice.daemon.egress.shaping;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GcraTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void ratesParseInEveryUnit() {
        assertEquals(10, Rate.parse("10/s").count());
        assertEquals(60_000_000_000L / 100, Rate.parse("100/m").intervalNanos());
        assertEquals("5/h", Rate.parse(" 5/h ").toString());
        assertTrue(Rate.parse(null).unlimited());
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("10 per second"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("10/w"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("0/s"));
    }

    @Test
    void neverAdmitsMoreThanTheRateInAnyWindow() {
        Gcra g = new Gcra(Rate.parse("10/s"), 1);
        int admitted = 0;
        for (long t = 0; t < 10 * SECOND; t += SECOND / 1000) {
            if (g.tryAcquire(t)) {
                admitted++;
            }
        }
        assertEquals(100, admitted);
    }

    @Test
    void aLateAdmissionKeepsItsSlotSoThePaceDoesNotDrift() {
        Gcra g = new Gcra(Rate.parse("10/s"), 1);
        long interval = SECOND / 10;
        int admitted = 0;
        // a sender that always wakes 30 ms after its slot still gets the full rate
        for (long t = 0; t < 10 * SECOND; t += interval) {
            if (g.tryAcquire(t + 30_000_000L)) {
                admitted++;
            }
        }
        assertEquals(100, admitted);
        assertFalse(g.tryAcquire(10 * SECOND + 30_000_000L - interval / 2), "never ahead of the rate");
    }

    @Test
    void burstAllowsThatManyAtOnceThenTheRate() {
        Gcra g = new Gcra(Rate.parse("1/s"), 3);
        assertTrue(g.tryAcquire(0));
        assertTrue(g.tryAcquire(0));
        assertTrue(g.tryAcquire(0));
        assertFalse(g.tryAcquire(0));
        assertTrue(g.tryAcquire(SECOND));
    }

    @Test
    void aThrottleScalesTheRateDownAndBack() {
        ProviderRule rule = new ProviderRule("p", java.util.List.of(), java.util.List.of(), 2, 4, 10,
                Rate.parse("100/m"), Rate.UNLIMITED, io.sluice.protocol.client.TlsMode.OPPORTUNISTIC);
        ProviderThrottle t = new ProviderThrottle(rule);
        java.time.Instant now = java.time.Instant.parse("2026-11-28T00:00:00Z");
        t.throttle(0.5, now.plusSeconds(60));
        assertEquals("50/m", t.currentRate().toString());
        assertEquals(1, t.maxConnections(now));
        assertEquals(4, t.maxConnections(now.plusSeconds(61)));
        assertEquals("100/m", t.currentRate().toString());
    }

    @Test
    void aRaisedRateTakesEffectAtOnceNotAfterWhatTheOldRateOwed() {
        Gcra g = new Gcra(Rate.parse("1/h"), 1);
        assertTrue(g.tryAcquire(0));
        assertFalse(g.tryAcquire(SECOND), "the next one is an hour away at 1/h");
        g.setRate(Rate.parse("100/s"));
        assertTrue(g.tryAcquire(SECOND + SECOND / 100), "one owed event at 100/s is 10 ms, not the rest of the hour");
        g.setRate(Rate.parse("1/s"));
        assertFalse(g.tryAcquire(SECOND + SECOND / 50), "a lowered rate holds the next one back");
        assertTrue(g.tryAcquire(3 * SECOND));
    }
}
