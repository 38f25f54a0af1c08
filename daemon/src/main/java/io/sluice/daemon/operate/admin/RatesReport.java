package io.sluice.daemon.operate.admin;

import io.sluice.daemon.outcome.rates.RateCounts;
import io.sluice.daemon.outcome.rates.RateWindow;
import io.sluice.daemon.outcome.rates.Rates;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JSON shape of {@code GET /admin/rates} (docs/api.md): per key and window the counts and the
 * rates operators act on. A complaint rate is a share of delivered mail, and the words
 * {@code "no feed"} for a provider without a feedback loop: there it is unknown, never 0 %.
 * Opens and clicks (issue 20) stand beside them, a person's and machine traffic's apart.
 */
final class RatesReport {
    /** The text a complaint rate shows for a provider that sends no complaint reports. */
    static final String NO_FEED = "no feed";

    private RatesReport() {
    }

    static Map<String, Object> of(Rates rates, Rates.Table table, List<Rates.Row> rows, int total, Instant now,
                                  Predicate<String> hasFeedbackLoop) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated", now.toString());
        out.put("by", table.name().toLowerCase(Locale.ROOT));
        out.put("keys", rates.keys(table));
        out.put("overflowed", rates.overflowed(table));
        out.put("matched", total);
        List<Map<String, Object>> list = rows.stream().map(r -> row(r, hasFeedbackLoop.test(r.key().provider()))).toList();
        out.put("rows", list);
        return out;
    }

    private static Map<String, Object> row(Rates.Row r, boolean feed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", r.key().provider());
        if (r.key().source() != null) {
            m.put("source", r.key().source());
        }
        if (r.key().tenant() != null) {
            m.put("tenant", r.key().tenant());
        }
        if (r.key().campaign() != null) {
            m.put("campaign", r.key().campaign());
        }
        m.put("feedback_loop", feed);
        Map<String, Object> windows = new LinkedHashMap<>();
        windows.put(RateWindow.M15.label(), window(r.m15(), feed));
        windows.put(RateWindow.H1.label(), window(r.h1(), feed));
        windows.put(RateWindow.H24.label(), window(r.h24(), feed));
        m.put("windows", windows);
        return m;
    }

    static Map<String, Object> window(RateCounts c, boolean feed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempts", c.attempts());
        m.put("delivered", c.delivered());
        m.put("deferred", c.deferred());
        m.put("bounced", c.bounced());
        m.put("hard_bounced", c.hardBounced());
        m.put("blocked", c.blocked());
        m.put("complaints", c.complaints());
        m.put("unsubscribes", c.unsubscribes());
        m.put("opens", c.opens());
        m.put("clicks", c.clicks());
        m.put("machine_opens", c.machineOpens());
        m.put("machine_clicks", c.machineClicks());
        m.put("complaint_rate", feed ? percent(c.complaints(), c.delivered()) : NO_FEED);
        m.put("hard_bounce_rate", percent(c.hardBounced(), c.attempts()));
        m.put("block_rate", percent(c.blocked(), c.attempts()));
        m.put("unsubscribe_rate", percent(c.unsubscribes(), c.delivered()));
        // people's opens and clicks only: machine traffic (privacy proxies, scanners) would inflate them
        m.put("open_rate", percent(c.opens(), c.delivered()));
        m.put("click_rate", percent(c.clicks(), c.delivered()));
        return m;
    }

    /* A percentage with three decimals, or null when there is nothing to divide by. */
    private static Double percent(long part, long whole) {
        return whole == 0 ? null : Math.round(100_000.0 * part / whole) / 1000.0;
    }
}
