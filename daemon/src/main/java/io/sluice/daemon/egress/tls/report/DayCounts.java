package io.sluice.daemon.egress.tls.report;

import java.time.LocalDate;
import java.util.Map;

/**
 * One UTC day's counts for one policy domain: per policy, per session result.
 */
public record DayCounts(LocalDate day, String policyDomain, Map<ReportedPolicy, Map<SessionResult, Long>> counts) {
    public DayCounts {
        counts = Map.copyOf(counts);
    }

    public long total(SessionResult result) {
        return counts.values().stream().mapToLong(m -> m.getOrDefault(result, 0L)).sum();
    }
}
