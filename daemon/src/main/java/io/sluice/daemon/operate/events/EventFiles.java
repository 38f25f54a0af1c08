package io.sluice.daemon.operate.events;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The event log on disk: the active file ({@code sluice.events.file}) and the rotated ones
 * beside it, named {@code <file>.<UTC time of rotation>} so that name order is time order.
 * Written by one thread only (the event log's writer); a rotation tells its listeners the
 * new name of the file they may be reading.
 */
final class EventFiles {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int STAMP_LENGTH = STAMP.format(Instant.EPOCH).length();

    /** Told, on the writer thread, when the active file got a rotated name. */
    interface RotationListener {
        void rotated(String activeName, String rotatedName);
    }

    private final Path active;
    private final long rotateSize;
    private final Duration rotateInterval;
    private final int keep;
    private final Clock clock;
    private final List<RotationListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Predicate<String> stillNeeded = name -> false;
    private OutputStream out;
    private long size;
    private Instant openedAt;

    EventFiles(Path active, long rotateSize, Duration rotateInterval, int keep, Clock clock) throws IOException {
        this.active = active.toAbsolutePath();
        this.rotateSize = rotateSize;
        this.rotateInterval = rotateInterval;
        this.keep = keep;
        this.clock = clock;
        Files.createDirectories(this.active.getParent());
        open();
    }

    Path active() {
        return active;
    }

    void onRotation(RotationListener listener) {
        listeners.add(listener);
    }

    /** Rotated files for which this says true are not deleted, however many there are. */
    void protect(Predicate<String> neededByName) {
        this.stillNeeded = neededByName;
    }

    void write(byte[] line) throws IOException {
        openStream().write(line);
        size += line.length;
    }

    /** Flushes, then rotates when the active file is big or old enough. */
    void flush() throws IOException {
        openStream().flush();
        if (size >= rotateSize || (size > 0 && !clock.instant().isBefore(openedAt.plus(rotateInterval)))) {
            rotate();
        }
    }

    private OutputStream openStream() throws IOException {
        if (out == null) {
            throw new IOException("event log " + active + " is not open");
        }
        return out;
    }

    /**
     * After a failed write, flush or rotation: closes whatever is open and opens the active file
     * again (it may have been replaced, or a rotation may have closed it). A line cut short by the
     * failure is ended, so the next event starts on a line of its own. Failures are left for the
     * next write to report.
     */
    void reopenQuietly() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // the stream is given up either way
        }
        out = null;
        try {
            open();
            if (size > 0 && Files.isRegularFile(active) && !endsWithNewline()) {
                out.write('\n');
                size++;
            }
        } catch (IOException e) {
            out = null;
        }
    }

    private boolean endsWithNewline() throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(active, StandardOpenOption.READ)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            ch.read(last, ch.size() - 1);
            return last.get(0) == '\n';
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        String rotatedName = active.getFileName() + "." + STAMP.format(clock.instant());
        Files.move(active, active.resolveSibling(rotatedName), StandardCopyOption.ATOMIC_MOVE);
        for (RotationListener l : listeners) {
            l.rotated(active.getFileName().toString(), rotatedName);
        }
        open();
        prune();
    }

    /** Rotated files, oldest first. */
    List<Path> rotated() throws IOException {
        String prefix = active.getFileName() + ".";
        try (Stream<Path> files = Files.list(active.getParent())) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.length() == prefix.length() + STAMP_LENGTH && Character.isDigit(n.charAt(prefix.length()));
            }).sorted().toList();
        }
    }

    private void prune() throws IOException {
        List<Path> rotated = new ArrayList<>(rotated());
        int excess = rotated.size() - keep;
        for (int i = 0; i < excess; i++) {
            Path p = rotated.get(i);
            if (!stillNeeded.test(p.getFileName().toString())) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void open() throws IOException {
        out = Files.newOutputStream(active, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(active);
        openedAt = clock.instant();
    }

    void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
