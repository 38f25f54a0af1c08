package io.sluice.protocol.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * RFC 5321 §4.5.2 transparency: a line that starts with "." gets one more "." in front, and the
 * data ends with CRLF "." CRLF.
 *
 * <p>The content is not copied: the result is a composite of slices of the caller's array with a
 * one-byte "." inserted between slices where a line starts with a dot. A line starts after every
 * LF, not only after CRLF: a receiver that accepts bare LF as a line end (many do) must not see an
 * unstuffed "\n.\r\n" and end the message early (SMTP smuggling, CVE-2023-51764 family).
 * Content that does not end with CRLF gets one appended, so the terminating dot is on its own
 * line.
 */
final class DotStuffing {
    private static final byte[] DOT = {'.'};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};

    private DotStuffing() {
    }

    /** The bytes to write after the 354 reply: stuffed content, CRLF if needed, ".\r\n". */
    static ByteBuf encode(byte[] content) {
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '.' && (i == 0 || content[i - 1] == '\n')) {
                if (i > start) {
                    out.addComponent(true, Unpooled.wrappedBuffer(content, start, i - start));
                }
                out.addComponent(true, Unpooled.wrappedBuffer(DOT));
                start = i; // the original dot goes out with the next slice
            }
        }
        if (content.length > start) {
            out.addComponent(true, Unpooled.wrappedBuffer(content, start, content.length - start));
        }
        if (content.length > 0 && !endsWithCrlf(content)) {
            out.addComponent(true, Unpooled.wrappedBuffer(CRLF));
        }
        out.addComponent(true, Unpooled.wrappedBuffer(END));
        return out;
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
