package io.sluice.daemon.egress;

import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.shaping.ShapingRules;
import io.sluice.daemon.egress.sources.EgressPlan;

import java.nio.file.Path;

/**
 * Where the egress plan and the shaping rules are read from ({@code sluice.egress.file},
 * {@code sluice.egress.rules-file}). Reading happens when asked (at start and at reload), never
 * when this is made; a file that cannot be used throws a ConfigException naming the key.
 *
 * @param plan  the egress file, or null for one implicit source
 * @param rules the operator's rules file, or null for the shipped rules alone
 * @param base  the rule for providers nobody described (from {@code sluice.delivery.*})
 */
record EgressFiles(Path plan, Path rules, ProviderRule base) {

    static Path path(String file) {
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    EgressConfig read() {
        return new EgressConfig(EgressPlan.load(plan), ShapingRules.load(base, rules).validated());
    }
}
