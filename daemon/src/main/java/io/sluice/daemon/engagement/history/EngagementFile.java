package io.sluice.daemon.engagement.history;

import io.sluice.queue.FreeSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The engagement store's file: tab-separated lines, appended and now and then rewritten whole.
 * {@code d <delivered> <message id> <index> <tenant> <campaign> <address>} is a tracked delivery,
 * {@code r <last open> <last click> <tenant> <address>} a recipient's engagement (empty for none;
 * instants in ISO-8601). Replayed in order, the last line of a key wins. A write that fails is
 * logged (at most once a minute) and the store goes on in memory. Not thread-safe: the store
 * serialises its writers.
 */
final class EngagementFile {
    private static final Logger LOG = LoggerFactory.getLogger(EngagementFile.class);
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final Path file;
    private final FreeSpace space;
    private BufferedWriter out;
    private long appended;
    private long lastFailureLog;

    /** @param space the free-space guard of the file's disk, or null for none */
    EngagementFile(Path file, FreeSpace space) throws IOException {
        this.file = file;
        this.space = space;
        Files.createDirectories(file.getParent());
    }

    static String line(TrackedDelivery n) {
        return "d\t" + n.deliveredAt() + "\t" + n.messageId() + "\t" + n.recipientIndex() + "\t" + n.tenant() + "\t"
                + (n.campaign() == null ? "" : n.campaign()) + "\t" + n.recipient();
    }

    static String line(RecipientEngagement e) {
        return "r\t" + (e.lastOpen() == null ? "" : e.lastOpen()) + "\t"
                + (e.lastClick() == null ? "" : e.lastClick()) + "\t" + e.tenant() + "\t" + e.recipient();
    }

    /** Reads every line in order into the two consumers; an unreadable line (a torn last one after a crash) is skipped. */
    void replay(Consumer<TrackedDelivery> deliveries, Consumer<RecipientEngagement> recipients) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        long bad = 0;
        // InputStreamReader replaces bytes that are no UTF-8 (that line then fails to parse) where
        // Files.newBufferedReader would throw and keep the daemon from starting
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!replay(line, deliveries, recipients)) {
                    bad++;
                }
            }
        }
        if (bad > 0) {
            LOG.warn("engagement store {}: {} unreadable lines skipped (a torn last line after a crash is one)",
                    file, bad);
        }
    }

    private static boolean replay(String line, Consumer<TrackedDelivery> deliveries,
                                  Consumer<RecipientEngagement> recipients) {
        String[] f = line.split("\t", -1);
        try {
            if (f[0].equals("d") && f.length == 7) {
                deliveries.accept(new TrackedDelivery(f[2], Integer.parseInt(f[3]), f[4], f[5].isEmpty() ? null : f[5],
                        f[6], Instant.parse(f[1])));
                return true;
            }
            if (f[0].equals("r") && f.length == 5) {
                Instant open = f[1].isEmpty() ? null : Instant.parse(f[1]);
                Instant click = f[2].isEmpty() ? null : Instant.parse(f[2]);
                if (open == null && click == null) {
                    return false;
                }
                recipients.accept(new RecipientEngagement(f[3], f[4], open, click));
                return true;
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Appends the lines and flushes them (no fsync). */
    void append(List<String> lines) {
        try {
            if (space != null && !space.allows(lines.size() * 80L)) {
                throw new IOException(space.describe(file));
            }
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
            out.flush();
            appended += lines.size();
        } catch (IOException e) {
            failed("cannot append to", e);
        }
    }

    /** Lines appended since the file was last rewritten. */
    long appended() {
        return appended;
    }

    /** Replaces the file with these lines (a new file moved over the old one); appends go on after them. */
    void rewrite(List<String> lines) throws IOException {
        close();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                w.write(line);
                w.write('\n');
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        appended = 0;
    }

    void rewriteQuietly(List<String> lines) {
        try {
            rewrite(lines);
        } catch (IOException e) {
            failed("cannot rewrite", e);
        }
    }

    void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("closing the engagement store {}: {}", file, e.toString());
            }
            out = null;
        }
    }

    private void failed(String what, IOException e) {
        long now = System.currentTimeMillis();
        if (now - lastFailureLog >= LOG_EVERY_MILLIS) {
            lastFailureLog = now;
            LOG.warn("engagement store: {} {} ({}); kept in memory only until it works again", what, file, e.toString());
        }
        close();
    }
}
