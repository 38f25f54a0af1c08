package io.sluice.daemon.ingress.http;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.config.ApiSettings;
import io.sluice.daemon.config.SpoolSettingsConfig;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers the answer given to each {@code idempotency_key} (per tenant) for
 * {@code sluice.api.idempotency-window}, in memory and in {@code <spool dir>/idempotency.jsonl}
 * (fsynced before the 202 is sent), so a client that resends after a timeout or after a restart
 * gets the first answer back instead of a second copy of the mail. A request still running when
 * its twin arrives is waited for. Only 202 answers are kept: a refused request may be fixed and
 * sent again with the same key. The file is rewritten without expired keys at start-up.
 *
 * <p>Window: a crash after the messages are durable but before the key is written can still
 * queue twice (at least once, rarely twice, as everywhere in Sluice).
 */
@Singleton
public final class IdempotencyStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);

    @Serdeable
    record Entry(String key, Instant at, InjectionResult result) {
    }

    private final ConcurrentHashMap<String, CompletableFuture<Entry>> entries = new ConcurrentHashMap<>();
    private final JsonMapper json;
    private final Clock clock;
    private final Duration window;
    private final Path file;
    private final FileChannel channel;

    public IdempotencyStore(ApiSettings api, SpoolSettingsConfig spool, JsonMapper json, Clock clock) throws IOException {
        this.json = json;
        this.clock = clock;
        this.window = api.idempotencyWindow();
        this.file = Path.of(spool.dir()).resolve("idempotency.jsonl");
        Files.createDirectories(file.getParent());
        Instant oldest = clock.instant().minus(window);
        StringBuilder kept = new StringBuilder();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    Entry e = json.readValue(line, Entry.class);
                    if (e != null && e.at().isAfter(oldest)) {
                        entries.put(e.key(), CompletableFuture.completedFuture(e));
                        kept.append(line).append('\n');
                    }
                } catch (IOException | RuntimeException bad) {
                    LOG.warn("skipping an unreadable line in {} (a torn write at a crash?)", file);
                }
            }
        }
        Path tmp = file.resolveSibling("idempotency.jsonl.tmp");
        Files.writeString(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /**
     * The remembered answer for this key, or the one {@code work} produces (then remembered).
     * {@code work} runs at most once at a time per key.
     */
    public InjectionResult once(String key, Supplier<InjectionResult> work) {
        while (true) {
            CompletableFuture<Entry> mine = new CompletableFuture<>();
            CompletableFuture<Entry> existing = entries.putIfAbsent(key, mine);
            if (existing != null) {
                Entry e;
                try {
                    e = existing.join();
                } catch (RuntimeException failed) {
                    continue; // the first attempt failed and was forgotten: try ourselves
                }
                if (e.at().isAfter(clock.instant().minus(window))) {
                    return e.result();
                }
                entries.remove(key, existing);
                continue;
            }
            try {
                InjectionResult result = work.get();
                Entry e = new Entry(key, clock.instant(), result);
                persist(e);
                mine.complete(e);
                return result;
            } catch (RuntimeException failed) {
                entries.remove(key, mine);
                mine.completeExceptionally(failed);
                throw failed;
            }
        }
    }

    private synchronized void persist(Entry e) {
        try {
            byte[] line = (new String(json.writeValueAsBytes(e), StandardCharsets.UTF_8) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException io) {
            throw new UncheckedIOException("could not record idempotency key in " + file, io);
        }
    }

    /** For tests and /health-like views. */
    int size() {
        return entries.size();
    }

    List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
