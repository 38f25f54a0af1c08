package io.sluice.daemon.egress;

import io.sluice.daemon.egress.shaping.ShapingRules;
import io.sluice.daemon.egress.sources.EgressPlan;

/**
 * The egress plan (sources, pools, tenants, warm-up schedules) and the shaping rules read
 * together from the files; the engine's parts share one {@link InForce} holder and a reload
 * replaces both at once.
 */
record EgressConfig(EgressPlan plan, ShapingRules rules) {

    /** The configuration in force, replaced whole by a reload. Thread-safe. */
    static final class InForce {
        private volatile EgressConfig current;

        InForce(EgressConfig initial) {
            this.current = initial;
        }

        EgressPlan plan() {
            return current.plan();
        }

        ShapingRules rules() {
            return current.rules();
        }

        void replace(EgressConfig fresh) {
            current = fresh;
        }
    }
}
