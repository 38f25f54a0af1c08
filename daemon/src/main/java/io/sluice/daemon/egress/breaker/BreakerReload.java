package io.sluice.daemon.egress.breaker;

import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.BreakerSettings;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.operate.lifecycle.Reloadable;
import jakarta.inject.Singleton;

/** SIGHUP re-reads the breaker rules file; a bad file keeps the rules in force and names the key. */
@Singleton
@Requires(notEnv = Environments.CHECK_CONFIG)
final class BreakerReload implements Reloadable {
    private final CircuitBreaker breaker;
    private final BreakerSettings settings;

    BreakerReload(CircuitBreaker breaker, BreakerSettings settings) {
        this.breaker = breaker;
        this.settings = settings;
    }

    @Override
    public String reloadName() {
        return "circuit breaker rules";
    }

    @Override
    public void reload() {
        breaker.replace(BreakerRules.load(settings));
    }
}
