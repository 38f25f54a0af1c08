package io.sluice.daemon.egress.warmup;

import io.sluice.daemon.TestClock;
import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.daemon.egress.sources.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Warm-up progress is written off the scheduler thread, and a crash loses at most one period of sends. */
class ProgressWriterTest {
    private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    private static EgressPlan plan(Path dir) throws Exception {
        Path file = dir.resolve("egress.yml");
        Files.writeString(file, """
                schedules:
                  roomy:
                    daily: [100000]
                    hourly: [100000]
                sources:
                  new:
                    address: 127.0.0.21
                    warmup: {schedule: roomy, start: 2026-11-28}
                pools:
                  main:
                    sources: {new: 1}
                """);
        return EgressPlan.load(file);
    }

    private static long sentToday(WarmupBudgets b) {
        return b.status().get(0).sentToday().getOrDefault("gmail", 0L);
    }

    @Test
    void aCrashLosesAtMostOnePeriodOfSends(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(START);
        EgressPlan plan = plan(dir);
        Path file = dir.resolve("warmup-progress.txt");
        WarmupBudgets budgets = new WarmupBudgets(plan, clock, file);
        Source source = plan.sources().get("new");
        // the writer's timer, run by hand: the task it registered and the period it asked for
        List<Runnable> tasks = new ArrayList<>();
        List<Duration> periods = new ArrayList<>();
        new ProgressWriter(budgets).start((period, task) -> {
            periods.add(period);
            tasks.add(task);
        });
        assertEquals(List.of(ProgressWriter.PERIOD), periods);
        assertFalse(ProgressWriter.PERIOD.compareTo(Duration.ofSeconds(1)) > 0, "written at least once a second");

        // 7 units every 100 ms for 4.7 s; the writer runs at each whole period; then kill -9
        long stepMillis = 100;
        long perPeriod = ProgressWriter.PERIOD.toMillis() / stepMillis * 7;
        for (int step = 1; step <= 47; step++) {
            for (int i = 0; i < 7; i++) {
                assertTrue(budgets.tryTake(source, "gmail"));
            }
            clock.advance(Duration.ofMillis(stepMillis));
            if (step * stepMillis % ProgressWriter.PERIOD.toMillis() == 0) {
                tasks.get(0).run();
            }
        }
        long taken = sentToday(budgets);
        assertEquals(47 * 7, taken);

        WarmupBudgets restarted = new WarmupBudgets(plan, clock, file); // what a restart reads
        long remembered = sentToday(restarted);
        assertTrue(remembered <= taken, "never more than was taken");
        assertTrue(taken - remembered <= perPeriod,
                "lost " + (taken - remembered) + " units, more than one period's " + perPeriod);
        assertEquals(40 * 7, remembered, "the write at 4 s holds everything taken until then");
    }

    @Test
    void closingWritesWhatIsLeft(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(START);
        EgressPlan plan = plan(dir);
        Path file = dir.resolve("warmup-progress.txt");
        WarmupBudgets budgets = new WarmupBudgets(plan, clock, file);
        ProgressWriter writer = new ProgressWriter(budgets);
        writer.start((period, task) -> { });
        for (int i = 0; i < 5; i++) {
            budgets.tryTake(plan.sources().get("new"), "gmail");
        }
        writer.close();
        assertEquals(5, sentToday(new WarmupBudgets(plan, clock, file)));
    }
}
