package io.sluice.daemon.ingress;

/**
 * What ingress needs to know about a message's header section (RFC 5322 §2.2), found in one
 * scan of the CRLF-normalised bytes: where it ends, how many {@code Received:} fields it has
 * (loop detection), and whether {@code Date:} and {@code Message-ID:} are present.
 *
 * @param end          offset of the first body byte's separator: the empty line's CRLF, or
 *                     the first line that is not a header field
 * @param hasSeparator whether an empty line ends the section (false for a header-only
 *                     message or one whose body starts without the empty line)
 */
public record HeaderSection(int end, boolean hasSeparator, int receivedCount, boolean hasDate, boolean hasMessageId) {

    public static HeaderSection scan(byte[] message, int length) {
        int received = 0;
        boolean date = false;
        boolean messageId = false;
        int pos = 0;
        while (pos < length) {
            int eol = indexOfCrlf(message, pos, length);
            int lineEnd = eol < 0 ? length : eol;
            if (lineEnd == pos) {
                return new HeaderSection(pos, true, received, date, messageId);
            }
            byte first = message[pos];
            boolean continuation = first == ' ' || first == '\t';
            if (!continuation) {
                int colon = fieldNameEnd(message, pos, lineEnd);
                if (colon < 0) {
                    return new HeaderSection(pos, false, received, date, messageId);
                }
                // compared in place: a String per field was a measurable share of ingress garbage (issue 14)
                if (nameIs(message, pos, colon, "received")) {
                    received++;
                } else if (nameIs(message, pos, colon, "date")) {
                    date = true;
                } else if (nameIs(message, pos, colon, "message-id")) {
                    messageId = true;
                }
            } else if (pos == 0) {
                return new HeaderSection(0, false, 0, false, false);
            }
            pos = eol < 0 ? length : eol + 2;
        }
        return new HeaderSection(length, false, received, date, messageId);
    }

    /**
     * Whether the field name in {@code b[from, colon)} is {@code lower} (lower-case ASCII),
     * ignoring ASCII case and the white space some senders put around the name, as
     * {@code new String(...).trim().equalsIgnoreCase(lower)} would, without building the string.
     */
    static boolean nameIs(byte[] b, int from, int colon, String lower) {
        int start = from;
        int end = colon;
        while (start < end && (b[start] & 0xff) <= ' ') {
            start++;
        }
        while (end > start && (b[end - 1] & 0xff) <= ' ') {
            end--;
        }
        if (end - start != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the colon ending a field name of printable non-space ASCII, or -1. */
    private static int fieldNameEnd(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == ':') {
                return i == from ? -1 : i;
            }
            // RFC 5322 §3.6.8 ftext is %d33-57 / %d59-126; some senders put WSP before the colon
            if ((c < 33 || c > 126) && c != ' ' && c != '\t') {
                return -1;
            }
        }
        return -1;
    }

    static int indexOfCrlf(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
