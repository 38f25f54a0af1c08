package io.sluice.protocol.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * RFC 5321 §4.5.2 transparency: a line that starts with "." gets one more "." in front, and the
 * data ends with CRLF "." CRLF.
 *
 * <p>A message up to {@link #COPY_MAX} is copied, stuffed, into one buffer of the channel's
 * (pooled) allocator: a composite of heap slices cost a component per slice and, at the socket,
 * a merged heap copy per write (issue 14), more than the copy itself for the usual few KB. A
 * larger one is not copied: the result is a composite of slices of the caller's array with a
 * one-byte "." inserted between slices where a line starts with a dot, so a 40 MB message never
 * takes 40 MB of direct memory per delivery. A line starts after every
 * LF, not only after CRLF: a receiver that accepts bare LF as a line end (many do) must not see an
 * unstuffed "\n.\r\n" and end the message early (SMTP smuggling, CVE-2023-51764 family).
 * Content that does not end with CRLF gets one appended, so the terminating dot is on its own
 * line.
 */
final class DotStuffing {
    private static final byte[] DOT = {'.'};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};
    /** Largest message copied into one allocator buffer; above it, slices of the caller's array. */
    static final int COPY_MAX = 64 * 1024;

    private DotStuffing() {
    }

    /** The bytes to write after the 354 reply: stuffed content, CRLF if needed, ".\r\n". */
    static ByteBuf encode(byte[] content) {
        return encode(new byte[0], content);
    }

    /**
     * As {@link #encode(byte[])} for {@code prefix} followed by {@code content}, stuffed as one
     * stream (a dot opening the content's first line is stuffed when the prefix ends a line).
     */
    static ByteBuf encode(byte[] prefix, byte[] content) {
        return encode(prefix, content, null);
    }

    /** As {@link #encode(byte[], byte[])}, copying a message up to {@link #COPY_MAX} into a buffer of {@code alloc} (null: never). */
    static ByteBuf encode(byte[] prefix, byte[] content, ByteBufAllocator alloc) {
        long total = (long) prefix.length + content.length;
        boolean crlf = total > 0 && !(at(prefix, content, total - 2) == '\r' && at(prefix, content, total - 1) == '\n');
        if (alloc != null && total <= COPY_MAX) {
            int dots = dots(prefix, true) + dots(content, prefix.length == 0 || prefix[prefix.length - 1] == '\n');
            ByteBuf out = alloc.buffer((int) total + dots + (crlf ? 2 : 0) + END.length);
            boolean lineStart = copy(out, prefix, true);
            copy(out, content, lineStart);
            if (crlf) {
                out.writeBytes(CRLF);
            }
            return out.writeBytes(END);
        }
        return slices(prefix, content, crlf);
    }

    private static ByteBuf slices(byte[] prefix, byte[] content, boolean crlf) {
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        boolean lineStart = stuff(out, prefix, true);
        stuff(out, content, lineStart);
        if (crlf) {
            out.addComponent(true, Unpooled.wrappedBuffer(CRLF));
        }
        out.addComponent(true, Unpooled.wrappedBuffer(END));
        return out;
    }

    /** Adds {@code bytes} as slices with dots stuffed; returns whether the next byte starts a line. */
    private static boolean stuff(CompositeByteBuf out, byte[] bytes, boolean atLineStart) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (needsDot(bytes, i, atLineStart)) {
                if (i > start) {
                    out.addComponent(true, Unpooled.wrappedBuffer(bytes, start, i - start));
                }
                out.addComponent(true, Unpooled.wrappedBuffer(DOT));
                start = i; // the original dot goes out with the next slice
            }
        }
        if (bytes.length > start) {
            out.addComponent(true, Unpooled.wrappedBuffer(bytes, start, bytes.length - start));
        }
        return bytes.length == 0 ? atLineStart : bytes[bytes.length - 1] == '\n';
    }

    /** Whether byte {@code i} is a dot that opens a line (after any LF, or first when {@code atLineStart}). */
    private static boolean needsDot(byte[] bytes, int i, boolean atLineStart) {
        return bytes[i] == '.' && (i == 0 ? atLineStart : bytes[i - 1] == '\n');
    }

    /** How many stuffing dots {@code bytes} needs. */
    private static int dots(byte[] bytes, boolean atLineStart) {
        int n = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (needsDot(bytes, i, atLineStart)) {
                n++;
            }
        }
        return n;
    }

    /** Writes {@code bytes} with dots stuffed; returns whether the next byte starts a line. */
    private static boolean copy(ByteBuf out, byte[] bytes, boolean atLineStart) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (needsDot(bytes, i, atLineStart)) {
                out.writeBytes(bytes, start, i - start).writeByte('.');
                start = i; // the original dot goes out with the next run
            }
        }
        out.writeBytes(bytes, start, bytes.length - start);
        return bytes.length == 0 ? atLineStart : bytes[bytes.length - 1] == '\n';
    }

    /** Byte {@code i} of prefix + content, or 0 before the start. */
    private static byte at(byte[] prefix, byte[] content, long i) {
        if (i < 0) {
            return 0;
        }
        return i < prefix.length ? prefix[(int) i] : content[(int) (i - prefix.length)];
    }

    static boolean endsWithCrlf(byte[] content) {
        int n = content.length;
        return n >= 2 && content[n - 2] == '\r' && content[n - 1] == '\n';
    }

    /** True when any byte has the high bit set: BODY=8BITMIME is then due (RFC 6152). */
    static boolean has8BitBytes(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
