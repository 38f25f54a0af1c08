package io.sluice.bench.inject;

import io.sluice.bench.Durations;
import io.sluice.bench.UserError;
import io.sluice.bench.measure.BenchClock;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One injection from start to last reply, over SMTP or HTTP; used by {@code inject} and {@code run}. */
public final class Injection {
    private final InjectOptions options;
    private final InjectPlan plan;
    private final MessageFactory messages;
    private final InjectStats stats;

    public Injection(InjectOptions options, String runId) {
        this.options = options;
        this.plan = options.plan();
        this.messages = options.messages(runId);
        this.stats = new InjectStats(BenchClock.nowMicros(), trackedMessages(plan));
    }

    /** How many messages get per-message timestamps: the plan's count, or the first 2 million. */
    public static long trackedMessages(InjectPlan plan) {
        return plan.expected() > 0 ? plan.expected() : 2_000_000;
    }

    public InjectStats stats() {
        return stats;
    }

    public InjectPlan plan() {
        return plan;
    }

    public void viaSmtp(String host, int port) {
        SmtpTarget target = new SmtpTarget(host, port, options.connections, options.startTls, options.authUser(),
                options.authPassword(), options.ehlo, options.messagesPerConnection);
        try (SmtpInjector injector = new SmtpInjector(target, options.ioThreads)) {
            plan.start(System.nanoTime());
            await(injector.run(plan, messages, stats));
        }
    }

    public void viaHttp(URI endpoint, String authorization) {
        try (HttpInjector injector = new HttpInjector(endpoint, options.connections, authorization)) {
            plan.start(System.nanoTime());
            await(injector.run(plan, messages, stats));
        }
    }

    private void await(CompletableFuture<Void> done) {
        long boundNanos = plan.durationNanos() + Durations.parse(options.timeout).toNanos();
        try {
            done.get(boundNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new UserError("injection did not finish within " + options.timeout + " after its plan; "
                    + stats.finished() + " of " + plan.expected() + " messages answered");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        } catch (Exception e) {
            throw new UserError("injection failed: " + e.getMessage());
        }
    }

    /** The summary line: counts, rate and reply latency. */
    public String summary(double seconds) {
        return String.format("inject attempted=%d accepted=%d tempfailed=%d permfailed=%d errors=%d secs=%.2f accepted_per_s=%.0f %s",
                stats.attempted.get(), stats.accepted.get(), stats.tempfailed.get(), stats.permfailed.get(),
                stats.errors.get(), seconds, stats.accepted.get() / Math.max(1e-9, seconds),
                LatencySummary.of("inject_to_reply", stats.toReply()));
    }
}
