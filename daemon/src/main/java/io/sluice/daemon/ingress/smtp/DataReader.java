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
 * not be parsed as commands.
 */
final class DataReader {
    /** RFC 5321 §4.5.3.1.6: 998 octets of text plus CRLF. */
    static final int MAX_LINE_OCTETS = 998;

    enum Problem { NONE, TOO_BIG, LINE_TOO_LONG }

    /** The message as read; {@code bytes[0, length)} is valid. */
    record Result(byte[] bytes, int length, Problem problem, long octetsSeen) {
    }

    private DataReader() {
    }

    static Result read(InputStream in, long maxBytes) throws IOException {
        byte[] out = new byte[(int) Math.min(maxBytes + 2, 64 * 1024)];
        int length = 0;
        int lineOctets = 0;
        long seen = 0;
        boolean pendingCr = false;
        Problem problem = Problem.NONE;
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) != -1) {
            seen += n;
            if (problem == Problem.TOO_BIG) {
                continue; // drain
            }
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                boolean lineEnd;
                if (b == '\r') {
                    if (pendingCr) {
                        lineEnd = true; // bare CR before this one
                    } else {
                        pendingCr = true;
                        continue;
                    }
                } else if (b == '\n') {
                    pendingCr = false;
                    lineEnd = true;
                } else {
                    if (pendingCr) {
                        // bare CR: end the line, then take this byte as the next line's first
                        if (length + 2 > maxBytes) {
                            problem = Problem.TOO_BIG;
                            break;
                        }
                        out = ensure(out, length + 2, maxBytes);
                        out[length++] = '\r';
                        out[length++] = '\n';
                        lineOctets = 0;
                        pendingCr = false;
                    }
                    lineEnd = false;
                }
                if (lineEnd) {
                    if (length + 2 > maxBytes) {
                        problem = Problem.TOO_BIG;
                        break;
                    }
                    out = ensure(out, length + 2, maxBytes);
                    out[length++] = '\r';
                    out[length++] = '\n';
                    lineOctets = 0;
                    if (b == '\r') {
                        pendingCr = true; // the second CR starts a new possible CRLF
                    }
                    continue;
                }
                if (++lineOctets > MAX_LINE_OCTETS && problem == Problem.NONE) {
                    problem = Problem.LINE_TOO_LONG;
                }
                if (length + 1 > maxBytes) {
                    problem = Problem.TOO_BIG;
                    break;
                }
                out = ensure(out, length + 1, maxBytes);
                out[length++] = b;
            }
        }
        if (problem == Problem.NONE && pendingCr) {
            if (length + 2 > maxBytes) {
                problem = Problem.TOO_BIG;
            } else {
                out = ensure(out, length + 2, maxBytes);
                out[length++] = '\r';
                out[length++] = '\n';
            }
        }
        return new Result(out, length, problem, seen);
    }

    private static byte[] ensure(byte[] buf, int needed, long maxBytes) {
        if (needed <= buf.length) {
            return buf;
        }
        long grown = Math.max((long) buf.length * 2, needed);
        return Arrays.copyOf(buf, (int) Math.min(grown, maxBytes + 2));
    }
}
