package io.sluice.daemon.egress.breaker;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.BreakerSettings;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.egress.Dispatcher;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.outcome.rates.Rates;

/** Reads the breaker rules (a bad file stops the start with a ConfigException naming the key) and starts the breaker. */
@Factory
final class BreakerWiring {

    @Context
    @Requires(notEnv = Environments.CHECK_CONFIG)
    CircuitBreaker breaker(BreakerSettings settings, Rates rates, Dispatcher engine, EventLog events) {
        CircuitBreaker breaker = new CircuitBreaker(rates, BreakerRules.load(settings), engine, events::publish);
        if (settings.enabled()) {
            breaker.start();
        }
        return breaker;
    }

    /** The door for per-source verdicts (the doctor's); acts only with {@code sluice.breaker.suspend-sources}. */
    @jakarta.inject.Singleton
    @Requires(notEnv = Environments.CHECK_CONFIG)
    SourceSuspension sourceSuspension(BreakerSettings settings, Dispatcher engine, EventLog events, java.time.Clock clock) {
        return new SourceSuspension(engine, events::publish, clock, settings.suspendSources(), settings.sourceSuspendFor());
    }
}
