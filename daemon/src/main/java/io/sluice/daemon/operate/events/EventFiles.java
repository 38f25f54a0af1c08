package io.sluice.daemon.operate.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The event log on disk: the active file ({@code sluice.events.file}) and the rotated ones
 * beside it, named {@code <file>.<UTC time of rotation>} so that name order is time order.
 * Written by one thread only (the event log's writer), straight to the file's channel: what
 * {@link #write} is given reaches the kernel in that call (no buffer of ours to flush), and a
 * rotation tells its listeners the new name of the file they may be reading.
 */
final class EventFiles {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int STAMP_LENGTH = STAMP.format(Instant.EPOCH).length();

    /** Opens the active file for appending: the file system, or a test's channel that fails on cue. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    /** Told, on the writer thread, when the active file got a rotated name. */
    interface RotationListener {
        void rotated(String activeName, String rotatedName);
    }

    private final Path active;
    private final long rotateSize;
    private final Duration rotateInterval;
    private final int keep;
    private final Clock clock;
    private final Opener opener;
    private final List<RotationListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Predicate<String> stillNeeded = name -> false;
    private FileChannel out;
    /** Bytes in the active file: what it had when opened and what this writer added since. */
    private long size;
    /** The identity of the file opened last (device and inode), to tell a replaced file at a reopen. */
    private Object openedKey;
    private Instant openedAt;

    EventFiles(Path active, long rotateSize, Duration rotateInterval, int keep, Clock clock) throws IOException {
        this(active, rotateSize, rotateInterval, keep, clock, file -> FileChannel.open(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    EventFiles(Path active, long rotateSize, Duration rotateInterval, int keep, Clock clock, Opener opener)
            throws IOException {
        this.opener = opener;
        this.active = active.toAbsolutePath();
        this.rotateSize = rotateSize;
        this.rotateInterval = rotateInterval;
        this.keep = keep;
        this.clock = clock;
        Files.createDirectories(this.active.getParent());
        open();
        // a line a crash or a full disk cut short in an earlier run: the next starts on its own (a
        // disk still full does not stop the start: the writer's retries wait for it)
        endCutLineQuietly();
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

    /**
     * Appends the buffer's remaining bytes: one write, unless the file takes them in parts. When
     * it fails, the buffer's position says how many bytes the file took.
     */
    void write(ByteBuffer bytes) throws IOException {
        FileChannel channel = channel();
        while (bytes.hasRemaining()) {
            size += channel.write(bytes);
        }
    }

    /** Rotates when the active file is big or old enough. */
    void rotateIfDue() throws IOException {
        channel();
        if (size >= rotateSize || (size > 0 && !clock.instant().isBefore(openedAt.plus(rotateInterval)))) {
            rotate();
        }
    }

    private FileChannel channel() throws IOException {
        if (out == null) {
            throw new IOException("event log " + active + " is not open");
        }
        return out;
    }

    /**
     * After a failed write or rotation: closes whatever is open and opens the active file again
     * (it may have been replaced, or a rotation may have closed it). Failures are left for the
     * next write to report.
     *
     * @return false when the file opened is another one, or has other bytes at its end, than
     * the file written before: a cut line found there has been ended, and the cut event must be
     * written again whole. True when it is the file written before, exactly as this writer left
     * it, so a line the failure cut can be finished where it stopped; also true when nothing
     * could be opened, since nothing is known to have changed (the next write fails, and the
     * next reopen decides).
     */
    boolean reopenQuietly() {
        Object keyBefore = openedKey;
        long sizeBefore = size;
        closeQuietly();
        try {
            open();
        } catch (IOException e) {
            return true;
        }
        if (keyBefore != null && keyBefore.equals(openedKey) && size == sizeBefore) {
            return true;
        }
        try {
            endCutLine();
        } catch (IOException e) {
            openedKey = null; // not ended: the next reopen tries again
            closeQuietly();
        }
        return false;
    }

    /** Ends the file with a newline if it ends inside a line; quiet: a failure shows at the next write. */
    void endCutLineQuietly() {
        try {
            endCutLine();
        } catch (IOException e) {
            // the next write reports the disk
        }
    }

    private void endCutLine() throws IOException {
        if (out != null && size > 0 && Files.isRegularFile(active) && !endsWithNewline()) {
            size += out.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
    }

    private void closeQuietly() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // the channel is given up either way
        }
        out = null;
    }

    private boolean endsWithNewline() throws IOException {
        try (FileChannel ch = FileChannel.open(active, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
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

    /** Opens the active file; on failure nothing of what was known about the file before changes. */
    private void open() throws IOException {
        FileChannel channel = opener.open(active);
        try {
            long length = channel.size();
            Object key = Objects.requireNonNullElse(
                    Files.readAttributes(active, BasicFileAttributes.class).fileKey(), active);
            out = channel;
            size = length;
            openedKey = key;
            openedAt = clock.instant();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
