package io.sluice.daemon.egress;

import io.sluice.daemon.operate.lifecycle.Reloadable;
import jakarta.inject.Singleton;

/** SIGHUP re-reads pools, warm-up schedules and provider and reply rules, as /admin/reload does. */
@Singleton
final class EgressReload implements Reloadable {
    private final EgressView egress;

    EgressReload(EgressView egress) {
        this.egress = egress;
    }

    @Override
    public String reloadName() {
        return "egress pools, schedules and rules";
    }

    @Override
    public void reload() {
        egress.reload(); // a ConfigException keeps the running configuration and names the key
    }
}
