package io.sluice.daemon.operate.events;

import io.micronaut.context.annotation.Context;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.WebhookSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Ships the event log to {@code sluice.events.webhook.url}: batches of events POSTed as a JSON
 * array, signed with HMAC-SHA256 ({@code X-Sluice-Signature: sha256=<hex>}). The event files
 * themselves are the durable backlog: a cursor (file name and byte offset, persisted beside the
 * log) says what the endpoint has acknowledged with a 2xx, so an endpoint that is down, or a
 * restart, loses nothing — a batch is re-sent until acknowledged (at least once; receivers
 * can de-duplicate on {@code X-Sluice-Batch}). Rotated files are kept until shipped.
 */
@io.micronaut.context.annotation.Requires(notEnv = io.sluice.daemon.config.Environments.CHECK_CONFIG) // check-config opens nothing
@Context
public final class WebhookShipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookShipper.class);

    /** Where shipping stands: the next unshipped byte of the named file. */
    record Cursor(String file, long offset) {
    }

    private final WebhookSettings settings;
    private final EventFiles files;
    private final Path cursorFile;
    private final HttpClient http;
    private final Mac mac;
    private final Thread thread;
    /** Guards cursor changes: the writer thread renames files under the shipper's feet. */
    private final Object lock = new Object();
    /** Rotations seen, by generation: a batch read before one must land on the file's new name. */
    private final java.util.Map<Long, String> rotatedNames = new java.util.concurrent.ConcurrentHashMap<>();
    private long generation;
    private volatile Cursor cursor;
    private volatile boolean closed;

    public WebhookShipper(WebhookSettings settings, EventLog log) throws IOException {
        this.settings = settings;
        this.files = log.files();
        this.cursorFile = files.active().resolveSibling(files.active().getFileName() + ".webhook-cursor");
        if (!settings.enabled()) {
            this.http = null;
            this.mac = null;
            this.thread = null;
            return;
        }
        try {
            URI.create(settings.url()).toURL();
        } catch (IllegalArgumentException | IOException e) {
            throw new ConfigException("sluice.events.webhook.url", io.sluice.daemon.config.Redacted.uri(settings.url()), "not an http(s) URL");
        }
        this.mac = settings.secret().isEmpty() ? null : hmac(settings.secret());
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.cursor = loadCursor();
        files.onRotation((activeName, rotatedName) -> {
            synchronized (lock) {
                generation++;
                rotatedNames.put(generation, rotatedName);
                if (cursor.file().equals(activeName)) {
                    cursor = new Cursor(rotatedName, cursor.offset());
                    saveCursorQuietly();
                }
            }
        });
        String activeName = files.active().getFileName().toString();
        // a rotated file at or after the cursor is not yet shipped: keep it whatever sluice.events.keep says
        files.protect(name -> {
            Cursor c = cursor;
            return !c.file().equals(activeName) && name.compareTo(c.file()) >= 0;
        });
        this.thread = new Thread(this::run, "sluice-webhook");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private static Mac hmac(String secret) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private void run() {
        Duration wait = Duration.ofMillis(500);
        while (!closed) {
            try {
                Batch batch = nextBatch();
                if (batch == null) {
                    Thread.sleep(200);
                    continue;
                }
                if (post(batch)) {
                    advance(batch);
                    wait = Duration.ofMillis(500);
                } else {
                    Thread.sleep(wait.toMillis());
                    wait = wait.multipliedBy(2).compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("webhook shipping: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Up to batch-size complete lines from the cursor on, read at a rotation generation. */
    private record Batch(Cursor start, Cursor end, List<String> lines, long generation) {
    }

    /** Moves the cursor past an acknowledged batch, onto the file's rotated name if it moved meanwhile. */
    private void advance(Batch batch) throws IOException {
        synchronized (lock) {
            Cursor end = batch.end();
            if (generation != batch.generation() && end.file().equals(files.active().getFileName().toString())) {
                end = new Cursor(rotatedNames.get(batch.generation() + 1), end.offset());
            }
            cursor = end;
            saveCursor();
        }
    }

    private Batch nextBatch() throws IOException {
        Cursor c;
        long readAt;
        synchronized (lock) {
            c = cursor;
            readAt = generation;
        }
        Path file = files.active().resolveSibling(c.file());
        if (!Files.exists(file)) {
            // shipped files are the only ones pruned; a missing one was rotated away while we were down
            c = firstExisting();
            if (c == null) {
                return null;
            }
            file = files.active().resolveSibling(c.file());
        }
        List<String> lines = new java.util.ArrayList<>();
        long offset = c.offset();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (offset > length) {
                offset = 0; // the file is not the one the cursor meant (crash mid-rotation): start it over
            }
            in.seek(offset);
            byte[] buf = new byte[(int) Math.min(length - offset, 4L << 20)];
            in.readFully(buf);
            int start = 0;
            for (int i = 0; i < buf.length && lines.size() < settings.batchSize(); i++) {
                if (buf[i] == '\n') {
                    lines.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            offset += start;
        }
        if (!lines.isEmpty()) {
            return new Batch(c, new Cursor(c.file(), offset), lines, readAt);
        }
        // nothing more in this file: move on if it is a rotated one that is complete
        synchronized (lock) {
            if (cursor.equals(c)) {
                Cursor next = after(c.file());
                if (next != null) {
                    cursor = next;
                    saveCursor();
                }
            }
        }
        return null;
    }

    private Cursor firstExisting() throws IOException {
        List<Path> rotated = files.rotated();
        String name = rotated.isEmpty() ? files.active().getFileName().toString() : rotated.get(0).getFileName().toString();
        return new Cursor(name, 0);
    }

    /** The file after this one, or null when this is the active file. */
    private Cursor after(String name) throws IOException {
        String activeName = files.active().getFileName().toString();
        if (name.equals(activeName)) {
            return null;
        }
        for (Path p : files.rotated()) {
            if (p.getFileName().toString().compareTo(name) > 0) {
                return new Cursor(p.getFileName().toString(), 0);
            }
        }
        return new Cursor(activeName, 0);
    }

    private boolean post(Batch batch) {
        String body = "[" + String.join(",", batch.lines()) + "]";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url()))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("X-Sluice-Batch", batch.start().file() + ":" + batch.start().offset())
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (mac != null) {
            byte[] signature;
            synchronized (mac) {
                signature = mac.doFinal(bytes);
            }
            request.header("X-Sluice-Signature", "sha256=" + HexFormat.of().formatHex(signature));
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return true;
            }
            LOG.warn("webhook {} answered {}; will retry", io.sluice.daemon.config.Redacted.uri(settings.url()), response.statusCode());
        } catch (IOException e) {
            LOG.warn("webhook {} unreachable ({}); will retry", io.sluice.daemon.config.Redacted.uri(settings.url()),
                    io.sluice.daemon.config.Redacted.uri(e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private Cursor loadCursor() throws IOException {
        if (Files.exists(cursorFile)) {
            String[] parts = Files.readString(cursorFile).strip().split(" ");
            if (parts.length == 2) {
                try {
                    return new Cursor(parts[0], Long.parseLong(parts[1]));
                } catch (NumberFormatException e) {
                    LOG.warn("ignoring unreadable {}", cursorFile);
                }
            }
        }
        Cursor first = firstExisting();
        return first;
    }

    private void saveCursor() throws IOException {
        Cursor c = cursor;
        Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
        Files.writeString(tmp, c.file() + " " + c.offset() + "\n");
        Files.move(tmp, cursorFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void saveCursorQuietly() {
        try {
            saveCursor();
        } catch (IOException e) {
            LOG.warn("cannot save {}: {}", cursorFile, e.toString());
        }
    }

    @PreDestroy
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
