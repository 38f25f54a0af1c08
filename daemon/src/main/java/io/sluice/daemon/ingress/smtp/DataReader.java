package io.sluice.daemon.ingress.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the DATA stream into one CRLF-normalised byte array, counting as it goes.
 *
 * <p>Bare CR and bare LF become CRLF before anything else sees the message (so no later stage
 * can be fooled into seeing a line end another stage did not: SMTP smuggling). The stream is
 * always read to its end, even past a limit: what a client still sends after a refusal must
 * not be parsed as commands. The output buffer starts small and doubles (a 2 KB message must
 * not cost a 64 KB allocation: the profile showed this reader as the top allocator).
 */
final class DataReader {
    /** RFC 5321 §4.5.3.1.6: 998 octets of text plus CRLF. */
    static final int MAX_LINE_OCTETS = 998;
    private static final int INITIAL = 8 * 1024;

    enum Problem { NONE, TOO_BIG, LINE_TOO_LONG }

    /** The message as read; {@code bytes[0, length)} is valid. */
    record Result(byte[] bytes, int length, Problem problem, long octetsSeen) {
    }

    /**
     * How much of an oversized message is still read, looking for its end, before giving up:
     * {@code octets} past the limit or {@code time} after it was passed.
     */
    record DrainBound(long octets, java.time.Duration time, java.time.Clock clock) {
        static final DrainBound UNBOUNDED = new DrainBound(Long.MAX_VALUE, java.time.Duration.ofDays(36500),
                java.time.Clock.systemUTC());
    }

    /** The message passed its limit and went on past the drain bound: answer and close, read no more. */
    static final class DrainExceeded extends IOException {
        DrainExceeded(long limit) {
            super("message over " + limit + " octets and still going");
        }
    }

    private final long maxBytes;
    private byte[] out;
    private int length;
    private int lineOctets;
    private boolean pendingCr;
    private Problem problem = Problem.NONE;

    private DataReader(long maxBytes, byte[] out) {
        this.maxBytes = maxBytes;
        this.out = out;
    }

    static Result read(InputStream in, long maxBytes) throws IOException {
        return read(in, maxBytes, ReadBuffers.none(), DrainBound.UNBOUNDED);
    }

    static Result read(InputStream in, long maxBytes, DrainBound bound) throws IOException {
        return read(in, maxBytes, ReadBuffers.none(), bound);
    }

    static Result read(InputStream in, long maxBytes, ReadBuffers buffers) throws IOException {
        return read(in, maxBytes, buffers, DrainBound.UNBOUNDED);
    }

    /**
     * Reads into buffers borrowed from {@code buffers}; the caller gives {@link Result#bytes()}
     * back with {@link ReadBuffers#release} once nothing refers to them. Past the size cap the
     * rest is drained within {@code bound}.
     */
    static Result read(InputStream in, long maxBytes, ReadBuffers buffers, DrainBound bound) throws IOException {
        DataReader r = new DataReader(maxBytes, buffers.output((int) Math.min(maxBytes + 2, INITIAL)));
        byte[] chunk = buffers.chunk();
        long seen = 0;
        long drained = 0;
        java.time.Instant drainUntil = null;
        int n;
        while ((n = in.read(chunk)) != -1) {
            seen += n;
            if (r.problem == Problem.TOO_BIG) {
                // past TOO_BIG the rest is only drained, within the bound
                drained += n;
                if (drainUntil == null) {
                    drainUntil = bound.clock().instant().plus(bound.time());
                }
                if (drained > bound.octets() || bound.clock().instant().isAfter(drainUntil)) {
                    throw new DrainExceeded(maxBytes);
                }
                continue;
            }
            r.block(chunk, n);
        }
        if (r.pendingCr && r.problem != Problem.TOO_BIG) {
            r.lineEnd();
        }
        return new Result(r.out, r.length, r.problem, seen);
    }

    /*
     * A block at a time: the text between line ends is copied in one run (a 100 KB message used to
     * cost a call and a bounds check per byte here, the top of the ingress profile); only CR and LF
     * go through the per-byte state machine. A run is a prefix of what the byte-by-byte reading
     * would have written, so the limits trip at the same byte.
     */
    private void block(byte[] chunk, int n) {
        int i = 0;
        while (i < n && problem != Problem.TOO_BIG) {
            if (!pendingCr) {
                int end = i;
                while (end < n) {
                    byte b = chunk[end];
                    if (b == '\r' || b == '\n') {
                        break;
                    }
                    end++;
                }
                int run = end - i;
                if (run > 0) {
                    lineOctets += run;
                    if (lineOctets > MAX_LINE_OCTETS && problem == Problem.NONE) {
                        problem = Problem.LINE_TOO_LONG;
                    }
                    if (!room(run)) {
                        return;
                    }
                    System.arraycopy(chunk, i, out, length, run);
                    length += run;
                    i = end;
                    if (i == n) {
                        return;
                    }
                }
            }
            take(chunk[i++]);
        }
    }

    private void take(byte b) {
        if (b == '\r') {
            if (pendingCr) {
                lineEnd(); // the first CR was bare
            }
            pendingCr = true;
            return;
        }
        if (b == '\n') {
            pendingCr = false;
            lineEnd();
            return;
        }
        if (pendingCr) {
            pendingCr = false;
            lineEnd(); // a bare CR ends the line before this byte
            if (problem == Problem.TOO_BIG) {
                return;
            }
        }
        if (++lineOctets > MAX_LINE_OCTETS && problem == Problem.NONE) {
            problem = Problem.LINE_TOO_LONG;
        }
        if (room(1)) {
            out[length++] = b;
        }
    }

    private void lineEnd() {
        if (room(2)) {
            out[length++] = '\r';
            out[length++] = '\n';
            lineOctets = 0;
        }
    }

    /** Makes room for n more bytes, or marks the message too big. */
    private boolean room(int n) {
        if (length + n > maxBytes) {
            problem = Problem.TOO_BIG;
            return false;
        }
        if (length + n > out.length) {
            long grown = Math.max((long) out.length * 2, length + n);
            out = Arrays.copyOf(out, (int) Math.min(grown, maxBytes + 2));
        }
        return true;
    }
}
