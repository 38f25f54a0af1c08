package io.sluice.bench.sink;

import io.netty.buffer.ByteBuf;

/**
 * The DATA phase as a byte state machine: removes the extra dot from dot-stuffed lines and
 * stops exactly at CRLF "." CRLF (RFC 5321 §4.1.1.4, §4.5.2) — a bare LF never ends a line here.
 * The message keeps its final CRLF. Bytes beyond {@code keep} are counted, not stored.
 */
final class DataUnstuffer {
    private static final int NORMAL = 0, CR = 1, LINE_START = 2, DOT = 3, DOT_CR = 4;
    private final int keep;
    private byte[] data = new byte[4096];
    private int stored;
    private long length;
    private int state = LINE_START;

    DataUnstuffer(int keep) {
        this.keep = keep;
    }

    void reset() {
        stored = 0;
        length = 0;
        state = LINE_START;
    }

    /** Consumes bytes from {@code in} up to and including the terminator; true when it was found. */
    boolean consume(ByteBuf in) {
        while (in.isReadable()) {
            byte b = in.readByte();
            switch (state) {
                case NORMAL -> {
                    append(b);
                    state = b == '\r' ? CR : NORMAL;
                }
                case CR -> {
                    append(b);
                    state = b == '\n' ? LINE_START : b == '\r' ? CR : NORMAL;
                }
                case LINE_START -> {
                    if (b == '.') {
                        state = DOT;
                    } else {
                        append(b);
                        state = b == '\r' ? CR : NORMAL;
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = DOT_CR;
                    } else {
                        append(b); // the stuffed dot is dropped
                        state = NORMAL;
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        state = LINE_START;
                        return true;
                    }
                    append((byte) '\r'); // ".\r" then something else: a line that was "." + CR...
                    append(b);
                    state = b == '\r' ? CR : NORMAL;
                }
                default -> throw new IllegalStateException();
            }
        }
        return false;
    }

    private void append(byte b) {
        length++;
        if (stored < keep) {
            if (stored == data.length) {
                data = java.util.Arrays.copyOf(data, Math.min(keep, data.length * 2));
            }
            data[stored++] = b;
        }
    }

    byte[] bytes() {
        return data;
    }

    int stored() {
        return stored;
    }

    long length() {
        return length;
    }
}
