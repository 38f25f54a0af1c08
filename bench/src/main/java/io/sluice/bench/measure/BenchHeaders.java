package io.sluice.bench.measure;

import java.nio.charset.StandardCharsets;

/**
 * The two headers every injected message carries, and how a sink finds them again.
 * {@code X-Sluice-Bench-Id: <run>-<seq>} and {@code X-Sluice-Bench-Sent: <epoch micros>}.
 */
public final class BenchHeaders {
    public static final String ID = "X-Sluice-Bench-Id";
    public static final String SENT = "X-Sluice-Bench-Sent";
    private static final byte[] ID_PREFIX = (ID + ":").toLowerCase().getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SENT_PREFIX = (SENT + ":").toLowerCase().getBytes(StandardCharsets.US_ASCII);

    private BenchHeaders() {
    }

    /** What a sink read from one message's header section; absent values are null / -1. */
    public record Found(String id, long sentMicros) {
        /** The sequence number after the last '-' of the id, or -1. */
        public long sequence() {
            if (id == null) {
                return -1;
            }
            int dash = id.lastIndexOf('-');
            try {
                return Long.parseLong(id.substring(dash + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        public String run() {
            if (id == null) {
                return null;
            }
            int dash = id.lastIndexOf('-');
            return dash < 0 ? "" : id.substring(0, dash);
        }
    }

    /** Scans the header section (up to the first empty line) of CRLF message bytes. */
    public static Found find(byte[] message, int length) {
        String id = null;
        long sent = -1;
        int lineStart = 0;
        while (lineStart < length) {
            int end = lineStart;
            while (end < length && message[end] != '\n') {
                end++;
            }
            int lineEnd = end > lineStart && message[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd == lineStart) {
                break; // empty line: end of headers
            }
            if (startsWithIgnoreCase(message, lineStart, lineEnd, ID_PREFIX)) {
                id = value(message, lineStart + ID_PREFIX.length, lineEnd);
            } else if (startsWithIgnoreCase(message, lineStart, lineEnd, SENT_PREFIX)) {
                try {
                    sent = Long.parseLong(value(message, lineStart + SENT_PREFIX.length, lineEnd));
                } catch (NumberFormatException e) {
                    sent = -1;
                }
            }
            if (id != null && sent >= 0) {
                break;
            }
            lineStart = end + 1;
        }
        return new Found(id, sent);
    }

    private static String value(byte[] m, int from, int to) {
        return new String(m, from, to - from, StandardCharsets.US_ASCII).trim();
    }

    private static boolean startsWithIgnoreCase(byte[] m, int from, int to, byte[] lowerPrefix) {
        if (to - from < lowerPrefix.length) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length; i++) {
            int b = m[from + i];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lowerPrefix[i]) {
                return false;
            }
        }
        return true;
    }
}
