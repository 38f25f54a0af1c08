package io.sluice.daemon.operate.admin;

import io.sluice.daemon.config.RatesSettings;
import io.sluice.daemon.outcome.rates.RateCounts;
import io.sluice.daemon.outcome.rates.RateKey;
import io.sluice.daemon.outcome.rates.Rates;
import io.sluice.daemon.outcome.rates.Signal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What /admin/rates says: a complaint rate where there is a feed, "no feed" where there is none, never 0 %. */
class RatesReportTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void aProviderWithoutAFeedShowsNoFeedNotZero() {
        RateCounts c = new RateCounts(1000, 0, 0, 0, 0, 0, 0);
        assertEquals("no feed", RatesReport.window(c, false).get("complaint_rate"));
        assertEquals(0.0, RatesReport.window(c, true).get("complaint_rate"));
        assertNull(RatesReport.window(RateCounts.ZERO, true).get("complaint_rate"), "nothing delivered: no rate");
    }

    @Test
    void ratesArePercentagesOfDeliveredOrAttempts() {
        RateCounts c = new RateCounts(997, 2, 1, 1, 3, 3, 1);
        Map<String, Object> w = RatesReport.window(c, true);
        assertEquals(0.301, w.get("complaint_rate"));
        assertEquals(0.1, w.get("hard_bounce_rate"));
        assertEquals(0.3, w.get("block_rate"));
        assertEquals(1000L, w.get("attempts"));
    }

    @Test
    void opensAndClicksArePeoplesOfDeliveredWithMachineTrafficApart() {
        RateCounts c = new RateCounts(200, 0, 0, 0, 0, 0, 0, 50, 10, 120, 30);
        Map<String, Object> w = RatesReport.window(c, false);
        assertEquals(25.0, w.get("open_rate"), "machine opens (Apple's proxy) are not in the rate");
        assertEquals(5.0, w.get("click_rate"));
        assertEquals(120L, w.get("machine_opens"));
        assertEquals(30L, w.get("machine_clicks"));
        assertNull(RatesReport.window(RateCounts.ZERO, true).get("open_rate"));
    }

    @Test
    void rowsNameOnlyTheKeysOfTheirTable() {
        Rates rates = new Rates(RatesSettings.defaults());
        rates.record(new RateKey("gmail", "s1", "acme", null), Signal.DELIVERED, T0);
        Rates.Table t = Rates.Table.TENANT;
        Map<String, Object> out = RatesReport.of(rates, t, rates.rows(t, T0), 1, T0, p -> false);
        @SuppressWarnings("unchecked")
        Map<String, Object> row = ((List<Map<String, Object>>) out.get("rows")).get(0);
        assertEquals("gmail", row.get("provider"));
        assertEquals("acme", row.get("tenant"));
        assertEquals(false, row.containsKey("source"));
        assertEquals(false, row.get("feedback_loop"));
    }
}
