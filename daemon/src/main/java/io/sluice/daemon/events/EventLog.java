package io.sluice.daemon.events;

import io.micronaut.context.annotation.Context;
import io.micronaut.json.JsonMapper;
import io.sluice.daemon.config.EventSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
@Context
public final class EventLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    /** A sentinel compared by identity: it is never written. */
    private static final Event STOP = Event.reception(null, "stop", "", java.util.List.of(), 0, null, null);

    private final BlockingQueue<Event> pending = new LinkedBlockingQueue<>();
    private final JsonMapper json;
    private final OutputStream out;
    private final Thread writer;

    public EventLog(EventSettings settings, JsonMapper json) throws IOException {
        this.json = json;
        Path file = Path.of(settings.file()).toAbsolutePath();
        Files.createDirectories(file.getParent());
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        this.writer = new Thread(this::writeLoop, "sluice-events");
        this.writer.setDaemon(true);
        this.writer.start();
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
                        out.write(json.writeValueAsBytes(e));
                        out.write('\n');
                    } catch (IOException ex) {
                        LOG.error("cannot write event {} for {}: {}", e.type(), e.id(), ex.toString());
                    }
                }
                batch.clear();
                out.flush();
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
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing event log: {}", e.toString());
        }
    }
}
