package io.sluice.daemon.outcome.rates;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.config.RatesSettings;
import io.sluice.daemon.operate.events.EventLog;

/** Makes the daemon's {@link Rates} and feeds it every event the log writes. */
@Factory
final class RatesWiring {

    @Context
    @Requires(notEnv = Environments.CHECK_CONFIG)
    Rates rates(RatesSettings settings, EventLog events) {
        Rates rates = new Rates(settings);
        events.subscribe(rates::accept);
        return rates;
    }
}
