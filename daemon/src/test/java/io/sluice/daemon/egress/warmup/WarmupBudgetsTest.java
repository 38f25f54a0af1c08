package io.sluice.daemon.egress.warmup;

import io.sluice.daemon.egress.sources.WarmupSchedule;

import io.sluice.daemon.TestClock;
import io.sluice.daemon.config.YamlTree;
import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.daemon.egress.sources.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmupBudgetsTest {

    static EgressPlan plan(Path dir, String start, boolean paused) throws Exception {
        Path file = dir.resolve("egress.yml");
        Files.writeString(file, """
                schedules:
                  tiny:
                    daily: [3, 5]
                    hourly: [2, 100]
                    providers:
                      gmail: [1, 2]
                sources:
                  new:
                    address: 127.0.0.21
                    warmup: {schedule: tiny, start: %s, paused: %s}
                  old:
                    address: 127.0.0.22
                pools:
                  main:
                    sources: {new: 1, old: 1}
                """.formatted(start, paused));
        return EgressPlan.load(file);
    }

    private static int take(WarmupBudgets b, Source s, String provider, int tries) {
        int got = 0;
        for (int i = 0; i < tries; i++) {
            if (b.tryTake(s, provider)) {
                got++;
            }
        }
        return got;
    }

    @Test
    void dailyAndHourlyCapsPerProviderRollOverAtMidnightAndEndWithTheTable(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
        EgressPlan plan = plan(dir, "2026-11-28", false);
        WarmupBudgets budgets = new WarmupBudgets(plan, clock, dir.resolve("progress"));
        Source fresh = plan.sources().get("new");
        Source old = plan.sources().get("old");
        assertEquals(2, take(budgets, fresh, "default", 10), "hourly cap of day 1");
        clock.advance(Duration.ofHours(1));
        assertEquals(1, take(budgets, fresh, "default", 10), "the rest of the daily cap of 3");
        assertEquals(1, take(budgets, fresh, "gmail", 10), "gmail has its own table");
        assertEquals(10, take(budgets, old, "default", 10), "a source not in warm-up has no cap");
        clock.advance(Duration.ofHours(14)); // past midnight: day 2
        assertEquals(5, take(budgets, fresh, "default", 10));
        assertEquals(2, take(budgets, fresh, "gmail", 10));
        clock.advance(Duration.ofDays(1)); // day 3: the table has ended, the source is warm
        assertEquals(50, take(budgets, fresh, "default", 50));
        assertTrue(budgets.status().get(0).finished());
    }

    @Test
    void progressSurvivesARestartInTheMiddleOfADay(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-29T09:00:00Z"));
        EgressPlan plan = plan(dir, "2026-11-28", false); // day 2: cap 5, hourly 100
        WarmupBudgets before = new WarmupBudgets(plan, clock, dir.resolve("progress"));
        Source fresh = plan.sources().get("new");
        assertEquals(3, take(before, fresh, "default", 3));
        before.giveBack(fresh, "default"); // one was not delivered
        before.persist();
        clock.advance(Duration.ofHours(2));
        WarmupBudgets after = new WarmupBudgets(plan, clock, dir.resolve("progress"));
        assertEquals(3, take(after, fresh, "default", 10), "5 a day, 2 already sent before the restart");
        assertEquals(2, after.status().get(0).day());
    }

    @Test
    void aPausedScheduleStaysOnItsDay(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
        EgressPlan plan = plan(dir, "2026-11-28", true);
        WarmupBudgets budgets = new WarmupBudgets(plan, clock, null);
        Source fresh = plan.sources().get("new");
        assertEquals(1, budgets.status().get(0).day()); // the pause is seen on day 1
        clock.advance(Duration.ofDays(3));
        assertEquals(2, take(budgets, fresh, "default", 10), "still day 1's hourly cap");
        assertEquals(1, budgets.status().get(0).day());
        assertFalse(budgets.status().get(0).finished());
    }

    @Test
    void theClusterKnowsAWarmingSourceByItsAddress(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("egress.yml");
        Files.writeString(file, """
                schedules:
                  tiny: {daily: [3]}
                sources:
                  bound:
                    address: 127.0.0.21
                    warmup: {schedule: tiny, start: 2026-11-28}
                pools:
                  main:
                    sources: {bound: 1}
                """);
        EgressPlan plan = EgressPlan.load(file);
        java.util.List<String> asked = new java.util.ArrayList<>();
        SharedWarmup exhausted = new SharedWarmup() {
            @Override
            public boolean tryTake(String source, String provider, long epochDay, long dailyCap, long hour,
                                   long hourlyCap) {
                asked.add(source);
                return false;
            }

            @Override
            public void giveBack(String source, String provider, long epochDay, long hour) {
            }
        };
        WarmupBudgets budgets = new WarmupBudgets(plan, new TestClock(Instant.parse("2026-11-28T10:00:00Z")), null,
                exhausted);
        assertEquals(0, take(budgets, plan.sources().get("bound"), "default", 5), "the cluster has none left");
        assertEquals(java.util.List.of("127.0.0.21", "127.0.0.21", "127.0.0.21", "127.0.0.21", "127.0.0.21"), asked,
                "the cluster knows a source by its address");
    }

    @Test
    void theShippedScheduleRunsSixteenDays() {
        assertEquals(50, WarmupSchedule.DEFAULT.dailyCap("any", 1));
        assertEquals(100_000, WarmupSchedule.DEFAULT.dailyCap("any", 16));
        assertEquals(Long.MAX_VALUE, WarmupSchedule.DEFAULT.dailyCap("any", 17));
        assertTrue(YamlTree.load("x", new ByteArrayInputStream("a: 1k".getBytes(StandardCharsets.UTF_8)))
                .get("a").number(0) == 1000);
    }
}
