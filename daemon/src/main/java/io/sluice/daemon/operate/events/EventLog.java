package io.sluice.daemon.operate.events;

import io.micronaut.context.annotation.Context;
import io.micronaut.json.JsonMapper;
import io.sluice.daemon.config.EventSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Appends events as JSON lines to {@code sluice.events.file}. Producers never wait on disk:
 * they enqueue, and one writer thread serialises and writes in batches, flushing whenever
 * the queue runs dry, so a reader of the file sees each event within milliseconds.
 */
@io.micronaut.context.annotation.Requires(notEnv = io.sluice.daemon.config.Environments.CHECK_CONFIG) // check-config opens nothing
@Context
public final class EventLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    /** A sentinel compared by identity: it is never written. */
    private static final Event STOP = Event.reception(null, "stop", "", java.util.List.of(), 0, null, null);

    private final BlockingQueue<Event> pending = new LinkedBlockingQueue<>();
    private final List<java.util.function.Consumer<Event>> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final JsonMapper json;
    private final EventFiles files;
    private final Thread writer;

    public EventLog(EventSettings settings, JsonMapper json, java.time.Clock clock) throws IOException {
        this.json = json;
        this.files = new EventFiles(Path.of(settings.file()), settings.rotateSize(), settings.rotateInterval(),
                settings.keep(), clock);
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
    public void subscribe(java.util.function.Consumer<Event> subscriber) {
        subscribers.add(subscriber);
    }

    public void publish(Event event) {
        pending.add(event);
    }

    private void writeLoop() {
        List<Event> batch = new ArrayList<>(256);
        try {
            while (true) {
                Event first = pending.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, 4095);
                boolean stop = false;
                for (Event e : batch) {
                    if (e == STOP) {
                        stop = true;
                        continue;
                    }
                    try {
                        byte[] bytes = json.writeValueAsBytes(e);
                        byte[] line = java.util.Arrays.copyOf(bytes, bytes.length + 1);
                        line[bytes.length] = '\n';
                        files.write(line);
                        for (java.util.function.Consumer<Event> s : subscribers) {
                            s.accept(e);
                        }
                    } catch (IOException ex) {
                        LOG.error("cannot write event {} for {}: {}", e.type(), e.id(), ex.toString());
                    }
                }
                batch.clear();
                files.flush();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("event log stopped: {}", e.toString());
        }
    }

    @PreDestroy
    @Override
    public void close() {
        pending.add(STOP);
        try {
            writer.join(5000);
            files.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing event log: {}", e.toString());
        }
    }
}
