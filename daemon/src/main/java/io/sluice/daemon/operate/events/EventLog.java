package io.sluice.daemon.operate.events;

import io.micronaut.context.annotation.Context;
import io.sluice.daemon.config.EventSettings;
import io.sluice.queue.FreeSpace;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Appends events as JSON lines to {@code sluice.events.file}. Producers never wait on disk:
 * they enqueue, and one writer thread serialises and writes in batches, flushing whenever
 * the queue runs dry, so a reader of the file sees each event within milliseconds.
 * <p>
 * The writer outlives a failing disk (issue 18, items 10 and 12): a write, flush or rotation that
 * fails, or a disk below {@code sluice.events.min-free}, is tried again with back-off (doubling
 * up to {@code sluice.events.retry-max}), reopening the file, and what the writer had taken is
 * written once it can be, in order. Meanwhile the queue is bounded ({@code queue-capacity}):
 * an event that finds it full is dropped and counted ({@link #dropped()}), so the heap never pays
 * for a disk that does not take writes.
 */
@io.micronaut.context.annotation.Requires(notEnv = io.sluice.daemon.config.Environments.CHECK_CONFIG) // check-config opens nothing
@Context
public final class EventLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    private static final int BATCH = 4096;
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    /** A failure is logged when it starts and then at most this often while it lasts. */
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Turns an event into its JSON line (without the newline). */
    @FunctionalInterface
    interface Serializer {
        byte[] toJson(Event event) throws IOException;

        /** The JSON line with its newline. */
        default byte[] toLine(Event event) throws IOException {
            byte[] bytes = toJson(event);
            byte[] line = Arrays.copyOf(bytes, bytes.length + 1);
            line[bytes.length] = '\n';
            return line;
        }
    }

    /** Offered at close to wake the writer at once (compared by identity, never written); with a full queue, its poll times out instead. */
    private static final Event WAKE = Event.reception(null, "stop", "", List.of(), 0, null, null);

    private final BlockingQueue<Event> pending;
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private final Serializer json;
    private final EventFiles files;
    private final FreeSpace space;
    private final Duration firstRetry;
    private final Duration retryMax;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final Thread writer;
    private volatile boolean failing;
    private volatile boolean closing;

    public EventLog(EventSettings settings, Clock clock) throws IOException {
        this(new EventFiles(Path.of(settings.file()), settings.rotateSize(), settings.rotateInterval(),
                        settings.keep(), clock), new EventJson(), settings.queueCapacity(), FIRST_RETRY,
                settings.retryMax(), FreeSpace.of(Path.of(settings.file()).toAbsolutePath().getParent(),
                        settings.minFree()));
    }

    EventLog(EventFiles files, Serializer json, int capacity, Duration firstRetry, Duration retryMax,
             FreeSpace space) {
        this.files = files;
        this.json = json;
        this.pending = new ArrayBlockingQueue<>(capacity);
        this.firstRetry = firstRetry;
        this.retryMax = retryMax.compareTo(firstRetry) < 0 ? firstRetry : retryMax;
        this.space = space;
        this.writer = new Thread(this::writeLoop, "sluice-events");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** The files behind the log, for shipping them elsewhere. */
    EventFiles files() {
        return files;
    }

    /**
     * Called on the writer thread with every event once it is written, in order; must be quick
     * and must not throw (metrics count events this way, off the delivery path).
     */
    public void subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
    }

    /** Queues the event for the writer; never waits. When the queue is full the event is dropped and counted. */
    public void publish(Event event) {
        if (!pending.offer(event)) {
            long n = dropped.incrementAndGet();
            long last = lastDropLog.get();
            long now = System.nanoTime();
            if (now - last >= LOG_EVERY_NANOS && lastDropLog.compareAndSet(last, now)) {
                LOG.error("event queue full ({} waiting, writer {}): events are being dropped, {} so far",
                        pending.size(), failing ? "cannot write" : "behind", n);
            }
        }
    }

    /** Events dropped since start because the queue was full (or the event could not be serialised). */
    public long dropped() {
        return dropped.get();
    }

    /** Events waiting for the writer. */
    public int backlog() {
        return pending.size();
    }

    /** True while the writer cannot write (a failed write, flush or rotation, or too little free disk). */
    public boolean failing() {
        return failing;
    }

    private void writeLoop() {
        List<byte[]> lines = new ArrayList<>(256);
        List<Event> taken = new ArrayList<>(256);
        long delayNanos = firstRetry.toNanos();
        long lastFailureLog = 0;
        boolean unflushed = false;
        while (true) {
            try {
                if (lines.isEmpty() && !unflushed) {
                    if (closing && pending.isEmpty()) {
                        return;
                    }
                    take(taken, lines);
                    if (lines.isEmpty()) {
                        continue;
                    }
                }
                unflushed = true;
                write(lines, taken);
                files.flush();
                unflushed = false;
                if (failing) {
                    LOG.info("event log writes again");
                    failing = false;
                }
                delayNanos = firstRetry.toNanos();
            } catch (IOException e) {
                long now = System.nanoTime();
                if (!failing || now - lastFailureLog >= LOG_EVERY_NANOS) {
                    LOG.error("cannot write the event log {} ({} events held, {} waiting): {}; trying again",
                            files.active(), lines.size(), pending.size(), e.toString());
                    lastFailureLog = now;
                }
                failing = true;
                if (closing) {
                    LOG.error("event log closed with {} events unwritten", lines.size() + pending.size());
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(delayNanos);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                delayNanos = Math.min(delayNanos * 2, retryMax.toNanos());
                files.reopenQuietly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a bug must not end the log for good: what was held is lost, the writer goes on
                LOG.error("event log writer: {} events lost", lines.size(), e);
                dropped.addAndGet(lines.size());
                lines.clear();
                taken.clear();
                unflushed = false;
            }
        }
    }

    /* Takes a batch from the queue and serialises it; an event that cannot be serialised is dropped. */
    private void take(List<Event> taken, List<byte[]> lines) throws InterruptedException {
        Event first = pending.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return;
        }
        taken.add(first);
        pending.drainTo(taken, BATCH - 1);
        taken.removeIf(e -> e == WAKE);
        for (Event e : taken) {
            try {
                lines.add(json.toLine(e));
            } catch (IOException | RuntimeException ex) {
                dropped.incrementAndGet();
                LOG.error("cannot serialise event {} for {}: {}", e.type(), e.id(), ex.toString());
                lines.add(null);
            }
        }
    }

    /* Writes the held lines in order, removing each once written, so a retry writes none twice. */
    private void write(List<byte[]> lines, List<Event> taken) throws IOException {
        int done = 0;
        try {
            for (; done < lines.size(); done++) {
                byte[] line = lines.get(done);
                if (line == null) {
                    continue;
                }
                if (!space.allows(line.length)) {
                    throw new IOException(space.describe(files.active()));
                }
                files.write(line);
                Event e = taken.get(done);
                for (Consumer<Event> s : subscribers) {
                    try {
                        s.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.warn("an event subscriber failed on {}: {}", e.type(), ex.toString());
                    }
                }
            }
        } finally {
            lines.subList(0, done).clear();
            taken.subList(0, done).clear();
        }
    }

    @PreDestroy
    @Override
    public void close() {
        closing = true;
        pending.offer(WAKE);
        try {
            writer.join(5000);
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(1000);
            }
            files.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing event log: {}", e.toString());
        }
    }
}
