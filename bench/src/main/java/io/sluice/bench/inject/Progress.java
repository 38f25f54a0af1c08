package io.sluice.bench.inject;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The live progress line: on a terminal one line rewritten every second, elsewhere a plain
 * line every five seconds. Shows accepted and the rate of the last interval, refusals and
 * errors, and an ETA when the total is known; {@code extra} adds e.g. the sink's count.
 */
public final class Progress implements AutoCloseable {
    private final InjectStats stats;
    private final long expected;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier delivered;
    private final Thread thread;
    private volatile boolean running = true;

    public Progress(InjectStats stats, long expected, PrintStream out, boolean terminal, LongSupplier deliveredOrNull) {
        this.stats = stats;
        this.expected = expected;
        this.out = out;
        this.terminal = terminal;
        this.delivered = deliveredOrNull;
        this.thread = new Thread(this::loop, "progress");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public static boolean stdoutIsTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    private void loop() {
        long start = System.nanoTime();
        long lastAccepted = 0;
        long lastT = start;
        long interval = terminal ? 1_000_000_000L : 5_000_000_000L;
        while (running) {
            try {
                Thread.sleep(interval / 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long acc = stats.accepted.get();
            double rate = (acc - lastAccepted) * 1e9 / Math.max(1, now - lastT);
            lastAccepted = acc;
            lastT = now;
            String line = line(acc, rate, (now - start) / 1e9);
            if (terminal) {
                out.print("\r" + line + "\033[K");
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    String line(long accepted, double rate, double elapsedSeconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%6.1fs sent=%d accepted=%d rate=%.0f/s tempfail=%d permfail=%d errors=%d",
                elapsedSeconds, stats.attempted.get(), accepted, rate, stats.tempfailed.get(), stats.permfailed.get(),
                stats.errors.get()));
        if (delivered != null) {
            b.append(" delivered=").append(delivered.getAsLong());
        }
        long done = stats.finished();
        if (expected > 0 && done > 0 && done < expected) {
            double eta = elapsedSeconds * (expected - done) / done;
            b.append(String.format(" eta=%.0fs", eta));
        }
        return b.toString();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        if (terminal) {
            out.println();
        }
    }
}
