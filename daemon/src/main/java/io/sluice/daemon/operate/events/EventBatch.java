package io.sluice.daemon.operate.events;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The events the writer took from the queue in one drain, as their JSON lines one after the
 * other in a buffer kept from drain to drain, and how far the file has them. The file gets a
 * batch with one write (issue 14: one write per line was a third of the daemon's writes per
 * message).
 * <p>
 * A write that fails partway leaves {@link #written} where the file stopped: the retry goes on
 * from that byte, so no line is written twice, and a line the failure cut is finished by the
 * retry, unless the file was replaced meanwhile ({@link #rewriteCutLine}). Each event is
 * announced once, as soon as its whole line is in the file.
 * <p>
 * Not thread-safe: the event writer owns one.
 */
final class EventBatch {
    private static final int INITIAL_BYTES = 64 * 1024;
    /** A buffer grown beyond this by a burst of big events is let go once they are written. */
    private static final int KEPT_BYTES = 1 << 20;

    private final Lines lines = new Lines();
    private Event[] events = new Event[256];
    /** Where each line ends in the buffer, its newline included. */
    private int[] ends = new int[256];
    private int count;
    /** Bytes of the buffer the file has. */
    private int written;
    /** Lines given to subscribers; every one of them is whole in the file. */
    private int announced;
    private ByteBuffer view;

    /** Events held (written or not). */
    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Events whose line is not yet whole in the file. */
    int unwrittenEvents() {
        return count - announced;
    }

    /** True when the file has every byte of the batch. */
    boolean allWritten() {
        return written == lines.length;
    }

    int unwrittenBytes() {
        return lines.length - written;
    }

    /**
     * Appends the event's line. When the serializer fails, nothing of the event stays in the
     * buffer and the failure is thrown on.
     */
    void add(Event event, EventLog.Serializer json) throws IOException {
        int start = lines.length;
        try {
            json.write(event, lines);
            lines.write('\n');
        } catch (IOException | RuntimeException e) {
            lines.length = start;
            throw e;
        }
        if (count == events.length) {
            events = Arrays.copyOf(events, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        events[count] = event;
        ends[count] = lines.length;
        count++;
    }

    /** Writes the bytes the file does not have yet; on failure, remembers how many it took. */
    void writeTo(EventFiles files) throws IOException {
        if (view == null || view.array() != lines.bytes) {
            view = ByteBuffer.wrap(lines.bytes);
        }
        view.limit(lines.length).position(written);
        try {
            files.write(view);
        } finally {
            written = view.position();
        }
    }

    /** Gives the subscriber, in order, each event whose line became whole in the file since the last call. */
    void announce(Consumer<Event> subscriber) {
        while (announced < count && ends[announced] <= written) {
            subscriber.accept(events[announced++]);
        }
    }

    /** True when the file holds the first part of a line but not its end. */
    boolean cutLine() {
        return written != lineStart(written);
    }

    /**
     * The file no longer ends with the part of a line it was given (it was replaced, or the cut
     * line was ended there): the next write starts that line again from its beginning.
     */
    void rewriteCutLine() {
        written = lineStart(written);
    }

    /** Empties the batch for the next drain, keeping its buffer unless a burst made it large. */
    void clear() {
        Arrays.fill(events, 0, count, null);
        count = 0;
        written = 0;
        announced = 0;
        lines.length = 0;
        if (lines.bytes.length > KEPT_BYTES) {
            lines.bytes = new byte[INITIAL_BYTES];
            view = null;
        }
    }

    /** The start of the line that holds byte {@code at} (or {@code at} itself when a line starts there). */
    private int lineStart(int at) {
        int start = 0;
        for (int i = announced > 0 ? announced - 1 : 0; i < count && ends[i] <= at; i++) {
            start = ends[i];
        }
        return start;
    }

    /** The buffer, as the serializer's output. */
    private static final class Lines extends OutputStream {
        byte[] bytes = new byte[INITIAL_BYTES];
        int length;

        @Override
        public void write(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
