package io.sluice.daemon.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Where this node stands in the cluster's suppression stream, kept in a small file beside the
 * suppression log so a restart resumes instead of starting over:
 * <ul>
 *   <li>{@code epoch}: the stream's generation this node last joined (a Redis that lost its data
 *       starts a new one);</li>
 *   <li>{@code published}: the local log index up to which this node's own changes are in the
 *       stream (the outbox);</li>
 *   <li>{@code added}: the stream id Redis gave the last of them (a stream whose newest id is
 *       older lost them);</li>
 *   <li>{@code seen}: the stream id up to which other nodes' changes are applied here.</li>
 * </ul>
 * Each value only moves on after the work it stands for is done, so a crash repeats some work
 * (harmless: applying a change twice changes nothing) and never skips any. Written to a temporary
 * file and moved into place, so a crash mid-write leaves the previous state.
 */
final class SuppressionCursor {
    static final String START = "0-0";

    private final Path file;
    private String epoch;
    private long published = -1;
    private String added = START;
    private String seen = START;

    private SuppressionCursor(Path file) {
        this.file = file;
    }

    static SuppressionCursor load(Path file) {
        SuppressionCursor c = new SuppressionCursor(file);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            c.epoch = p.getProperty("epoch");
            c.published = Long.parseLong(p.getProperty("published", "-1"));
            c.added = p.getProperty("added", START);
            c.seen = p.getProperty("seen", START);
        }
        return c;
    }

    synchronized String epoch() {
        return epoch;
    }

    synchronized long published() {
        return published;
    }

    synchronized String added() {
        return added;
    }

    synchronized String seen() {
        return seen;
    }

    synchronized void joined(String epoch) {
        this.epoch = epoch;
        save();
    }

    synchronized void published(long logIndex, String streamId) {
        this.published = Math.max(published, logIndex);
        if (streamId != null) {
            this.added = streamId;
        }
        save();
    }

    synchronized void seen(String streamId) {
        this.seen = streamId;
        save();
    }

    /** The stream is gone or lost entries: read it again from the start; what was added there is lost. */
    synchronized void restart(String epoch) {
        this.epoch = epoch;
        this.seen = START;
        this.added = START;
        save();
    }

    private void save() {
        Properties p = new Properties();
        if (epoch != null) {
            p.setProperty("epoch", epoch);
        }
        p.setProperty("published", Long.toString(published));
        p.setProperty("added", added);
        p.setProperty("seen", seen);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "cluster suppression sync: see io.sluice.daemon.cluster.SuppressionCursor");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares two stream ids ({@code ms-seq}) as Redis orders them. */
    static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(da < 0 ? a : a.substring(0, da)), Long.parseLong(db < 0 ? b : b.substring(0, db)));
        if (c != 0) {
            return c;
        }
        return Long.compare(da < 0 ? 0 : Long.parseLong(a.substring(da + 1)), db < 0 ? 0 : Long.parseLong(b.substring(db + 1)));
    }
}
