package io.sluice.daemon.ingress.smtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * The message text of one SMTP DATA command, read from the session's buffered input in blocks:
 * ends at the first {@code CRLF.CRLF} (RFC 5321 §4.1.1.4: only that exact sequence ends it) and
 * removes the leading dot of every line (§4.5.2 transparency), without one virtual call per byte.
 *
 * <p>The input is shared with the session's command reader, and a pipelining client may have
 * sent the next command right behind the terminator: a block is read under {@link
 * InputStream#mark}, and once the terminator is found the stream is reset and exactly the bytes
 * up to and including it are consumed, so nothing after it is lost to the commands.
 */
final class DotStuffedBody extends InputStream {
    private static final int BLOCK = ReadBuffers.BLOCK;

    private final InputStream in;
    private final byte[] block;
    /* unstuffed text not yet handed out: text[textPos, textEnd) */
    private final byte[] text;
    private int textPos;
    private int textEnd;
    /* where the scan stands: at the start of a line; after a CR; after a line-start dot (and its CR) */
    private boolean lineStart = true;
    private boolean cr;
    private boolean dot;
    private boolean dotCr;
    private boolean ended;
    private long octets;
    private final DataDeadline deadline;

    /** @param in the session's raw input; must support mark/reset (SubEthaSMTP's is buffered) */
    DotStuffedBody(InputStream in) {
        this(in, DataDeadline.NONE);
    }

    /** @param deadline when the whole transfer must have ended (read past it: {@link DataDeadline.Expired}) */
    DotStuffedBody(InputStream in, DataDeadline deadline) {
        this(in, deadline, ReadBuffers.none());
    }

    /** @param buffers the session thread's blocks: this body is read to its end before the thread reads another */
    DotStuffedBody(InputStream in, DataDeadline deadline, ReadBuffers buffers) {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("DATA needs an input that supports mark/reset");
        }
        this.in = in;
        this.deadline = deadline;
        this.block = buffers.dataBlock();
        this.text = buffers.dataText();
    }

    /** Octets of the DATA stream consumed so far, terminator and stuffing dots included. */
    long octets() {
        return octets;
    }

    @Override
    public int read() throws IOException {
        while (textPos == textEnd) {
            if (ended) {
                return -1;
            }
            fill();
        }
        return text[textPos++] & 0xff;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (textPos == textEnd) {
            if (ended) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, textEnd - textPos);
        System.arraycopy(text, textPos, out, off, n);
        textPos += n;
        return n;
    }

    /* Reads one block and scans it into text[]: a pending ".<CR>" may release one byte more than it reads. */
    private void fill() throws IOException {
        in.mark(BLOCK);
        int n = deadline.read(in, block, 0, BLOCK);
        if (n < 0) {
            throw new IOException("connection closed in the middle of DATA");
        }
        int produced = 0;
        int used = 0;
        while (used < n && !ended) {
            if (!lineStart && !cr && !dot && !dotCr) {
                // inside a line: nothing but a CR can change the state, so the run up to it is text
                int end = used;
                while (end < n && block[end] != '\r') {
                    end++;
                }
                System.arraycopy(block, used, text, produced, end - used);
                produced += end - used;
                used = end;
                if (used == n) {
                    break;
                }
            }
            produced = scan(block[used++], text, 0, produced);
        }
        if (ended) {
            in.reset();
            skipExactly(used);
        }
        octets += used;
        textPos = 0;
        textEnd = produced;
    }

    /** One input byte: writes what it releases at {@code out[off + produced...]}, returns the new count. */
    private int scan(byte b, byte[] out, int off, int produced) {
        if (dotCr) {
            dotCr = false;
            if (b == '\n') {
                ended = true; // CRLF . CRLF
                return produced;
            }
            // ".\r" then something else: the dot was stuffing, the CR is text
            out[off + produced++] = '\r';
            cr = true;
            lineStart = false;
            return emit(b, out, off, produced);
        }
        if (dot) {
            dot = false;
            if (b == '\r') {
                dotCr = true;
                return produced;
            }
            return emit(b, out, off, produced); // the stuffing dot is dropped
        }
        if (lineStart && b == '.') {
            dot = true;
            lineStart = false;
            return produced;
        }
        return emit(b, out, off, produced);
    }

    private int emit(byte b, byte[] out, int off, int produced) {
        out[off + produced++] = b;
        lineStart = cr && b == '\n';
        cr = b == '\r';
        return produced;
    }

    private void skipExactly(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("input ended while consuming DATA");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** Reads and drops the rest of the message (up to its terminator), so the session stays in step. */
    void drain() throws IOException {
        while (true) {
            textPos = textEnd; // dropped where it lies: no copy, no buffer
            if (ended) {
                return;
            }
            fill();
        }
    }
}
