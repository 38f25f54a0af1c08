package io.sluice.daemon.ingress.http;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.config.ApiSettings;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.queue.FreeSpace;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
 * sent again with the same key. Keys older than the window are forgotten while running too:
 * every {@link #COMPACT_SLACK} keys written, the expired ones leave memory and the file is
 * rewritten without them (and at start-up).
 *
 * <p>Disk (issue 18, item 12): a request with a key is refused ({@link DiskFull}, HTTP 503)
 * before any mail is queued while the file's disk is below {@code sluice.spool.min-free}, so an
 * answer is never lost after its mail went out. Should writing the key still fail after the mail
 * was queued, the key is kept in memory and the 202 given: the client must not resend.
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
    private final FreeSpace space;
    private FileChannel channel;
    /** Keys appended since the file was last rewritten. */
    private int appended;

    /** Lines the file may hold beyond the keys still in the window before it is rewritten. */
    static final int COMPACT_SLACK = 1000;
    /** A generous bound on one line. */
    private static final int LINE_BYTES = 8192;

    /**
     * The key cannot be recorded now (its disk is below the floor); nothing was queued. The
     * caller answers 503 and the client resends later with the same key.
     */
    public static final class DiskFull extends RuntimeException {
        DiskFull(String message) {
            super(message, null, false, false);
        }
    }

    @jakarta.inject.Inject
    public IdempotencyStore(ApiSettings api, SpoolSettingsConfig spool, JsonMapper json, Clock clock) throws IOException {
        this(Path.of(spool.dir()).resolve("idempotency.jsonl"), api.idempotencyWindow(), json, clock,
                FreeSpace.of(Path.of(spool.dir()), spool.minFree()));
    }

    IdempotencyStore(Path file, Duration window, JsonMapper json, Clock clock, FreeSpace space) throws IOException {
        this.json = json;
        this.clock = clock;
        this.window = window;
        this.file = file;
        this.space = space;
        Files.createDirectories(file.getParent());
        Instant oldest = clock.instant().minus(window);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    Entry e = json.readValue(line, Entry.class);
                    if (e != null && e.at().isAfter(oldest)) {
                        entries.put(e.key(), CompletableFuture.completedFuture(e));
                    }
                } catch (IOException | RuntimeException bad) {
                    LOG.warn("skipping an unreadable line in {} (a torn write at a crash?)", file);
                }
            }
        }
        rewrite();
    }

    /* Rewrites the file with the keys still in the window (temporary file, then an atomic rename). */
    private void rewrite() throws IOException {
        Instant oldest = clock.instant().minus(window);
        StringBuilder kept = new StringBuilder();
        for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
            CompletableFuture<Entry> f = it.next().getValue();
            if (!f.isDone() || f.isCompletedExceptionally()) {
                continue; // running: written when it completes
            }
            Entry e = f.join();
            if (!e.at().isAfter(oldest)) {
                it.remove();
                continue;
            }
            kept.append(new String(json.writeValueAsBytes(e), StandardCharsets.UTF_8)).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, kept, StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (channel != null) {
            channel.close();
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appended = 0;
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
            if (!space.allows(LINE_BYTES)) {
                entries.remove(key, mine);
                mine.completeExceptionally(new DiskFull("refused"));
                throw new DiskFull(space.describe(file) + "; nothing was queued, try again later");
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

    /* Appends the key (fsynced); the mail is queued already, so a failure here is logged, not thrown. */
    private synchronized void persist(Entry e) {
        try {
            byte[] line = (new String(json.writeValueAsBytes(e), StandardCharsets.UTF_8) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
            if (++appended >= COMPACT_SLACK) {
                rewrite(); // drops expired keys from memory and the file: O(keys) once per COMPACT_SLACK keys
            }
        } catch (IOException | RuntimeException io) {
            LOG.error("could not record idempotency key {} in {} (kept in memory until restart): {}", e.key(), file,
                    io.toString());
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
