package io.sluice.daemon.egress.breaker;

import io.sluice.daemon.egress.Dispatcher;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.outcome.rates.RateCounts;
import io.sluice.daemon.outcome.rates.RateKey;
import io.sluice.daemon.outcome.rates.Rates;
import io.sluice.daemon.outcome.rates.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Judges the breaker rules each time the rates count something, for the sender (tenant or
 * campaign) and the source the signal belongs to, towards its provider. A pause is a hold through
 * {@link Dispatcher#holdByRule}; a warning is a {@code BreakerWarning} event. After a rule trips
 * for a scope it counts only buckets that start after the trip, so neither the same evidence nor
 * an operator's resume re-trips it: it takes fresh mail reaching the rule's minimum volume.
 * Runs on the thread that feeds the rates (the event writer).
 */
public final class CircuitBreaker implements Rates.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

    private final Rates rates;
    private final Dispatcher engine;
    private final Consumer<Event> events;
    private volatile BreakerRules rules;
    /** When each (rule, scope) last tripped; entries older than a day and a window are dropped. */
    private final Map<String, Instant> tripped = new ConcurrentHashMap<>();

    public CircuitBreaker(Rates rates, BreakerRules rules, Dispatcher engine, Consumer<Event> events) {
        this.rates = rates;
        this.rules = rules;
        this.engine = engine;
        this.events = events;
    }

    /** Starts judging: from now on every counted signal is looked at. */
    public void start() {
        rates.listen(this);
    }

    public BreakerRules rules() {
        return rules;
    }

    /** Takes new rules (a reload); what tripped stays tripped. */
    public void replace(BreakerRules fresh) {
        this.rules = fresh;
    }

    @Override
    public void counted(RateKey key, Signal signal, Instant at) {
        if (RateKey.OTHER.equals(key.provider())) {
            return; // a complaint we could not tie to a delivery: no provider to judge
        }
        for (BreakerRule rule : rules.rules()) {
            if (rule.enabled() && (signal == rule.signal() || counts(signal, rule.over()))) {
                try {
                    judge(rule, key, at);
                } catch (RuntimeException e) {
                    LOG.warn("breaker rule {} failed on {}: {}", rule.name(), key, e.toString());
                }
            }
        }
    }

    private static boolean counts(Signal signal, BreakerRule.Over over) {
        return over == BreakerRule.Over.DELIVERED ? signal == Signal.DELIVERED
                : signal == Signal.DELIVERED || signal == Signal.DEFERRED || signal == Signal.BOUNCED;
    }

    private void judge(BreakerRule rule, RateKey key, Instant at) {
        String provider = key.provider();
        if (rule.signal() == Signal.COMPLAINT && !engine.hasFeedbackLoop(provider)) {
            return; // no feed: the complaint rate is unknown, not 0 %
        }
        RateKey rollup;
        Rates.Table table;
        HoldScope scope;
        switch (rule.scope()) {
            case SOURCE -> {
                rollup = key.sourceOnly();
                table = Rates.Table.SOURCE;
                scope = new HoldScope.SourceProvider(key.source(), provider);
            }
            case CAMPAIGN -> {
                if (key.campaign() == null) {
                    return;
                }
                rollup = key.sender();
                table = Rates.Table.SENDER;
                scope = new HoldScope.CampaignProvider(key.campaign(), provider);
            }
            default -> {
                rollup = key.sender();
                table = Rates.Table.SENDER;
                scope = key.campaign() == null ? new HoldScope.TenantProvider(key.tenant(), provider)
                        : new HoldScope.CampaignProvider(key.campaign(), provider);
            }
        }
        if (rule.action() == BreakerRule.Action.PAUSE && engine.isHeld(scope)) {
            return;
        }
        String trip = rule.name() + "|" + scope;
        RateCounts c = rates.sum(table, rollup, rule.window(), at, tripped.get(trip));
        long base = rule.over() == BreakerRule.Over.DELIVERED ? c.delivered() : c.attempts();
        long hits = c.get(rule.signal());
        // "at or above": 3 of 1,000 is 0.3 %, though 0.003 * 1000 is 3.0000000000000004 in binary
        if (base < rule.minVolume() || (double) hits / base + 1e-12 < rule.threshold()) {
            return;
        }
        tripped.put(trip, at);
        forgetOld(at);
        String note = String.format(Locale.ROOT, "%s rate %.2f%% (%d of %d %s in %s) at or above %s%%",
                rule.signal().label(), 100.0 * hits / base, hits, base, rule.over().name().toLowerCase(Locale.ROOT),
                rule.window().label(), trimmed(100 * rule.threshold()));
        if (rule.action() == BreakerRule.Action.PAUSE) {
            LOG.warn("circuit breaker: {} paused until {} by {}: {}", scope, at.plus(rule.pauseFor()), rule.name(), note);
            engine.holdByRule(scope, at.plus(rule.pauseFor()), rule.holdRule(), note, provider);
        } else {
            LOG.warn("circuit breaker warning for {} by {}: {}", scope, rule.name(), note);
            events.accept(Event.breakerWarning(at, scope.toString(), provider, rule.holdRule(), note));
        }
    }

    private static String trimmed(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private void forgetOld(Instant now) {
        Instant before = now.minus(Duration.ofHours(25));
        tripped.values().removeIf(t -> t.isBefore(before));
    }
}
