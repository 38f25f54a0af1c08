package io.sluice.daemon.egress.warmup;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes warm-up progress ({@link WarmupBudgets#persist()}, {@code warmup-progress.txt}) on its own
 * thread, at most once every {@link #PERIOD}, so neither the scheduler nor a worker waits for the
 * disk. What a {@code kill -9} can lose is the units taken since the last write: at most one
 * period of sends, which a restart then hands out again (a warming IP overshoots its day's cap by
 * that much at worst). {@link #close()} writes once more.
 */
public final class ProgressWriter implements AutoCloseable {
    /** How often progress is written; also the most a crash can lose. */
    public static final Duration PERIOD = Duration.ofSeconds(1);

    /** Runs a task every period (a scheduled executor in production; a test calls the task itself). */
    @FunctionalInterface
    public interface Every {
        void every(Duration period, Runnable task);
    }

    private final WarmupBudgets budgets;
    private ScheduledExecutorService thread;

    public ProgressWriter(WarmupBudgets budgets) {
        this.budgets = budgets;
    }

    /** Starts the writer thread. */
    public void start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-warmup-writer");
            t.setDaemon(true);
            return t;
        });
        start((period, task) -> thread.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    /** Starts writing every {@link #PERIOD} on {@code timer}'s thread. */
    public void start(Every timer) {
        timer.every(PERIOD, budgets::persist);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        budgets.persist();
    }
}
