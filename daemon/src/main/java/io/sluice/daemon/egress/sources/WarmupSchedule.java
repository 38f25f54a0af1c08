package io.sluice.daemon.egress.sources;

import java.util.List;
import java.util.Map;

/**
 * A named warm-up table: the daily cap on day 1, 2, 3 ... of a source's warm-up (optionally an
 * hourly cap per day, and tables of their own for some providers). Past the last day the source
 * is warm: no cap.
 */
public record WarmupSchedule(String name, List<Long> daily, List<Long> hourly, Map<String, List<Long>> providers) {

    /** The shipped schedule: 50 on day 1 up to 100k on day 16, then unlimited. */
    public static final WarmupSchedule DEFAULT = new WarmupSchedule("default",
            List.of(50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L, 7_500L, 10_000L, 15_000L, 20_000L, 30_000L,
                    40_000L, 55_000L, 70_000L, 100_000L), List.of(), Map.of());

    public WarmupSchedule {
        daily = List.copyOf(daily);
        hourly = List.copyOf(hourly);
        providers = Map.copyOf(providers);
    }

    /** The cap for {@code provider} on day {@code day} (1-based); Long.MAX_VALUE once the table ends. */
    public long dailyCap(String provider, long day) {
        List<Long> table = providers.getOrDefault(provider, daily);
        return day < 1 ? 0 : day > table.size() ? Long.MAX_VALUE : table.get((int) day - 1);
    }

    /** The hourly cap on day {@code day}; Long.MAX_VALUE when the schedule has none for that day. */
    public long hourlyCap(long day) {
        return day < 1 || day > hourly.size() ? Long.MAX_VALUE : hourly.get((int) day - 1);
    }

    /** True once every table has ended. */
    public boolean finishedOn(long day) {
        if (day <= daily.size()) {
            return false;
        }
        return providers.values().stream().allMatch(t -> day > t.size());
    }
}
