package io.sluice.daemon.egress.warmup;

import io.sluice.daemon.egress.sources.WarmupSchedule;

import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.daemon.egress.sources.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each warming source may still send today (and this hour), per provider, across all its
 * paths. A delivery takes one unit when it is moved to a ready queue and gives it back if it was
 * not delivered, so the sink sees exactly the cap. Days are UTC days of the injected clock; a
 * source's day number advances at each UTC midnight unless its warm-up is paused. Progress is
 * kept in a small text file under the spool directory ({@link #persist()}, written off the
 * scheduler thread by {@link ProgressWriter}), so a restart in the middle of a day does not hand
 * out the day's cap twice. Thread-safe.
 */
public final class WarmupBudgets {
    private static final Logger LOG = LoggerFactory.getLogger(WarmupBudgets.class);

    /** One source's warm-up progress as the admin API shows it. */
    @io.micronaut.serde.annotation.Serdeable
    public record Status(String source, String schedule, long day, boolean paused, boolean finished,
                         Map<String, Long> sentToday, Map<String, Long> capToday) {
    }

    private static final class Progress {
        LocalDate start;
        long epochDay;
        long day;
        final Map<String, long[]> sent = new HashMap<>(); // provider -> {sentToday, hourEpoch, sentThisHour}
    }

    private final Clock clock;
    private final Path file;
    private final Map<String, Progress> progress = new HashMap<>();
    private volatile EgressPlan plan;
    private final SharedWarmup shared;
    private boolean dirty;
    /** Held while the file is written: one write at a time, never under the budgets' lock. */
    private final Object writing = new Object();

    public WarmupBudgets(EgressPlan plan, Clock clock, Path file) {
        this(plan, clock, file, SharedWarmup.LOCAL);
    }

    /** @param shared the cluster's budgets (each unit needs the local counters and the cluster) */
    public WarmupBudgets(EgressPlan plan, Clock clock, Path file, SharedWarmup shared) {
        this.plan = plan;
        this.shared = shared;
        this.clock = clock;
        this.file = file;
        load();
    }

    public synchronized void replacePlan(EgressPlan fresh) {
        this.plan = fresh;
    }

    /** Takes one unit of the source's budget for the provider; true if there was one (always for a warm source). */
    public synchronized boolean tryTake(Source source, String provider) {
        if (source.warmup() == null) {
            return true;
        }
        Source.Warmup w = source.warmup();
        WarmupSchedule schedule = plan.schedule(w.schedule());
        Progress p = current(source);
        if (schedule == null || schedule.finishedOn(p.day)) {
            return true;
        }
        long[] s = counters(p, provider);
        long dailyCap = schedule.dailyCap(provider, p.day);
        long hourlyCap = schedule.hourlyCap(p.day);
        if (s[0] >= dailyCap || s[2] >= hourlyCap) {
            return false;
        }
        if (!shared.tryTake(reputation(source), provider, p.epochDay, dailyCap, s[1], hourlyCap)) {
            return false;
        }
        s[0]++;
        s[2]++;
        dirty = true;
        return true;
    }

    /** Gives a unit back (the delivery was not accepted by the remote side). */
    public synchronized void giveBack(Source source, String provider) {
        if (source.warmup() == null) {
            return;
        }
        Progress p = progress.get(source.name());
        long[] s = p == null ? null : p.sent.get(provider);
        if (s != null && s[0] > 0) {
            shared.giveBack(reputation(source), provider, p.epochDay, s[1]);
            s[0]--;
            if (s[2] > 0) {
                s[2]--;
            }
            dirty = true;
        }
    }

    /*
     * What the cluster counts a budget against: the bound address (two nodes sending from one IP
     * share its reputation, whatever they call it). Every warming source has one: only the
     * implicit source has none, and it never warms up.
     */
    private static String reputation(Source source) {
        return source.address().getHostAddress();
    }

    public synchronized List<Status> status() {
        List<Status> out = new ArrayList<>();
        for (Source source : plan.sources().values()) {
            if (source.warmup() == null) {
                continue;
            }
            WarmupSchedule schedule = plan.schedule(source.warmup().schedule());
            Progress p = current(source);
            Map<String, Long> sent = new TreeMap<>();
            Map<String, Long> caps = new TreeMap<>();
            p.sent.forEach((provider, s) -> {
                sent.put(provider, s[0]);
                caps.put(provider, schedule.dailyCap(provider, p.day));
            });
            caps.put("*", schedule.dailyCap("*", p.day));
            out.add(new Status(source.name(), schedule.name(), p.day, source.warmup().paused(),
                    schedule.finishedOn(p.day), sent, caps));
        }
        return out;
    }

    /* The source's progress rolled forward to today. */
    private Progress current(Source source) {
        long today = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toEpochDay();
        Source.Warmup w = source.warmup();
        Progress p = progress.get(source.name());
        if (p == null || !p.start.equals(w.start())) {
            p = new Progress();
            p.start = w.start();
            p.epochDay = today;
            p.day = today - w.start().toEpochDay() + 1;
            progress.put(source.name(), p);
            dirty = true;
        }
        if (today > p.epochDay) {
            if (!w.paused()) {
                p.day += today - p.epochDay;
            }
            p.epochDay = today;
            p.sent.clear();
            dirty = true;
        }
        return p;
    }

    private long[] counters(Progress p, String provider) {
        long hour = clock.millis() / 3_600_000L;
        long[] s = p.sent.computeIfAbsent(provider, k -> new long[] {0, hour, 0});
        if (s[1] != hour) {
            s[1] = hour;
            s[2] = 0;
        }
        return s;
    }

    /**
     * Writes progress if it changed (atomically: temp file, then rename). The counters are copied
     * under the budgets' lock and written outside it, so a slow disk never holds up a take; calls
     * come from one writer ({@link ProgressWriter}) and at close.
     */
    public void persist() {
        synchronized (writing) {
            String text = changes();
            if (text == null) {
                return;
            }
            try {
                Files.createDirectories(file.getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                markDirty(); // try again at the next write
                LOG.warn("cannot save warm-up progress to {}: {}", file, e.toString());
            }
        }
    }

    /* The progress file's text if anything changed since the last copy, else null. */
    private synchronized String changes() {
        if (!dirty || file == null) {
            return null;
        }
        StringBuilder b = new StringBuilder("# sluice warm-up progress: source start epoch-day day [provider sent hour sent-this-hour]...\n");
        progress.forEach((name, p) -> {
            b.append(name).append(' ').append(p.start).append(' ').append(p.epochDay).append(' ').append(p.day);
            p.sent.forEach((provider, s) -> b.append(' ').append(provider).append(' ').append(s[0]).append(' ')
                    .append(s[1]).append(' ').append(s[2]));
            b.append('\n');
        });
        dirty = false;
        return b.toString();
    }

    private synchronized void markDirty() {
        dirty = true;
    }

    private void load() {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                Progress p = new Progress();
                p.start = LocalDate.parse(f[1]);
                p.epochDay = Long.parseLong(f[2]);
                p.day = Long.parseLong(f[3]);
                for (int i = 4; i + 3 < f.length; i += 4) {
                    p.sent.put(f[i], new long[] {Long.parseLong(f[i + 1]), Long.parseLong(f[i + 2]),
                            Long.parseLong(f[i + 3])});
                }
                progress.put(f[0], p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read warm-up progress from {} ({}); starting from the configured dates", file, e.toString());
        }
    }
}
