package io.sluice.daemon.egress.breaker;

import io.sluice.daemon.outcome.rates.RateWindow;
import io.sluice.daemon.outcome.rates.Signal;

import java.time.Duration;

/**
 * One threshold: when {@code signal} makes up at least {@code threshold} of {@code over} within
 * {@code window}, with at least {@code minVolume} of {@code over} counted, {@code action} applies
 * to {@code scope} towards the provider.
 *
 * @param threshold a fraction (0.003 for "0.3%")
 * @param pauseFor  for a pause: how long the hold lasts unless an operator resumes it first
 * @param enabled   a disabled rule is kept (and shown) but never judged
 */
public record BreakerRule(String name, Signal signal, Over over, double threshold, long minVolume,
                          RateWindow window, Scope scope, Action action, Duration pauseFor, boolean enabled) {

    /** What the signal is a share of. */
    public enum Over {
        /** Delivered messages (complaint rates: only delivered mail can be complained about). */
        DELIVERED,
        /** Attempts with an outcome: delivered, deferred and bounced. */
        ATTEMPTS
    }

    /** Whose mail a rule judges and pauses, always towards one provider. */
    public enum Scope {
        /** The tenant's mail, or the campaign's when the mail has one ({@code tenant:T>P} / {@code campaign:C>P}). */
        TENANT,
        /** Only mail with a campaign, paused per campaign ({@code campaign:C>P}). */
        CAMPAIGN,
        /** One source's attempts, all tenants together ({@code source:S>P}: out of the provider's rotation). */
        SOURCE
    }

    public enum Action {
        /** A BreakerWarning event. */
        WARN,
        /** A hold for {@code pauseFor}. */
        PAUSE
    }

    /** The hold's rule name, as events and {@code /admin/suspensions} show it. */
    public String holdRule() {
        return "breaker:" + name;
    }
}
