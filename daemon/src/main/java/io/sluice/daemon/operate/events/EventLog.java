package io.sluice.daemon.operate.events;

import io.micronaut.context.annotation.Context;
import io.sluice.daemon.config.EventSettings;
import io.sluice.queue.FreeSpace;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Appends events as JSON lines to {@code sluice.events.file}. Producers never wait on disk:
 * they enqueue, and one writer thread takes everything queued, serialises it into one reused
 * buffer and hands it to the file with one write, so a reader of the file sees each event
 * within milliseconds, and a busy daemon pays one write per batch, not one per event (issue 14).
 * <p>
 * The writer outlives a failing disk (issue 18, items 10 and 12): a write or rotation that
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
    /** Events written at most per drain of the queue (and so per write). */
    private static final int BATCH = 4096;
    /** How long the idle writer sleeps before it looks again on its own (only close and a lost wake-up would need it). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * After a write, how long the writer waits for more before it asks to be woken. While events
     * keep coming, they wait at most this long and nobody wakes the writer: one timed sleep and
     * one write per batch instead of a wake-up, a sleep and a write per event (issue 14). No
     * consumer needs the file sooner (the webhook shipper looks every 200 ms).
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    /** A failure is logged when it starts and then at most this often while it lasts. */
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Turns an event into JSON. */
    @FunctionalInterface
    interface Serializer {
        /** Appends the event's JSON, without a newline, to {@code out}; may leave part of it there when it throws. */
        void write(Event event, OutputStream out) throws IOException;
    }

    private final BlockingQueue<Event> pending;
    /** Events moved out of the queue in one drain; the writer's own, reused. */
    private final List<Event> taken = new ArrayList<>(256);
    /** True while the writer sleeps, or is about to, with nothing queued: the next publish wakes it. */
    private final AtomicBoolean asleep = new AtomicBoolean();
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

    /**
     * Queues the event for the writer; never waits. Wakes the writer only if it sleeps (the first
     * event after a lull), so a burst costs one wake-up, not one per event. When the queue is
     * full the event is dropped and counted.
     */
    public void publish(Event event) {
        if (pending.offer(event)) {
            if (asleep.get() && asleep.compareAndSet(true, false)) {
                LockSupport.unpark(writer);
            }
        } else {
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

    /** True while the writer cannot write (a failed write or rotation, or too little free disk). */
    public boolean failing() {
        return failing;
    }

    private void writeLoop() {
        EventBatch batch = new EventBatch();
        long delayNanos = firstRetry.toNanos();
        long lastFailureLog = 0;
        boolean wrote = false;
        while (true) {
            try {
                if (batch.isEmpty()) {
                    if (closing && pending.isEmpty()) {
                        return;
                    }
                    take(batch, wrote);
                    wrote = false;
                    if (batch.isEmpty()) {
                        continue;
                    }
                }
                write(batch);
                files.rotateIfDue();
                batch.clear();
                wrote = true;
                if (failing) {
                    LOG.info("event log writes again");
                    failing = false;
                }
                delayNanos = firstRetry.toNanos();
            } catch (IOException e) {
                long now = System.nanoTime();
                if (!failing || now - lastFailureLog >= LOG_EVERY_NANOS) {
                    LOG.error("cannot write the event log {} ({} events held, {} waiting): {}; trying again",
                            files.active(), batch.unwrittenEvents(), pending.size(), e.toString());
                    lastFailureLog = now;
                }
                failing = true;
                if (closing) {
                    LOG.error("event log closed with {} events unwritten", batch.unwrittenEvents() + pending.size());
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(delayNanos);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                delayNanos = Math.min(delayNanos * 2, retryMax.toNanos());
                if (!files.reopenQuietly()) {
                    batch.rewriteCutLine();
                }
            } catch (RuntimeException e) {
                // a bug must not end the log for good: what was held is lost, the writer goes on
                LOG.error("event log writer: {} events lost", batch.unwrittenEvents(), e);
                dropped.addAndGet(batch.unwrittenEvents());
                if (batch.cutLine()) {
                    files.endCutLineQuietly();
                }
                batch.clear();
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /*
     * Moves what the queue holds into the batch, serialised (an event that cannot be is dropped
     * and counted). With nothing queued: right after a write, waits a moment for more without
     * asking to be woken; otherwise sleeps until a producer wakes it. Producers wake the writer
     * only while it sleeps so, while events keep coming, they cost the producers no system call.
     */
    private void take(EventBatch batch, boolean afterWrite) {
        if (pending.drainTo(taken, BATCH) == 0) {
            if (afterWrite && !closing) {
                LockSupport.parkNanos(this, LINGER_NANOS);
                return;
            }
            asleep.set(true);
            if (pending.isEmpty() && !closing) { // checked after the flag is up: a publish in between wakes the park
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
            asleep.set(false);
            return;
        }
        for (Event e : taken) {
            try {
                batch.add(e, json);
            } catch (IOException | RuntimeException ex) {
                dropped.incrementAndGet();
                LOG.error("cannot serialise event {} for {}: {}", e.type(), e.id(), ex.toString());
            }
        }
        taken.clear();
    }

    /*
     * Writes what the file does not have of the batch, in one write, and announces each event
     * whose line is whole in the file, even when the write failed after it: a retry writes none
     * twice and announces none twice.
     */
    private void write(EventBatch batch) throws IOException {
        try {
            if (!batch.allWritten()) {
                if (!space.allows(batch.unwrittenBytes())) {
                    throw new IOException(space.describe(files.active()));
                }
                batch.writeTo(files);
            }
        } finally {
            batch.announce(this::announce);
        }
    }

    private void announce(Event e) {
        for (Consumer<Event> s : subscribers) {
            try {
                s.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("an event subscriber failed on {}: {}", e.type(), ex.toString());
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
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
