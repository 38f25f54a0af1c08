package io.sluice.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One header field of a message as raw text: {@code raw} holds the exact bytes as ISO-8859-1
 * chars (a lossless byte-to-char mapping, so UTF-8 and 8-bit headers pass through untouched),
 * continuation lines and the final CRLF included.
 */
record HeaderField(String name, String raw) {

    /**
     * Splits a header section (RFC 5322 §2.2: a field continues while the next line starts with
     * WSP) into fields, in order. Stops at the empty line that ends the section, if present.
     * Lines are CRLF-terminated; a last field without CRLF is still a field.
     */
    static List<HeaderField> parse(byte[] block) {
        String s = new String(block, StandardCharsets.ISO_8859_1);
        List<HeaderField> fields = new ArrayList<>();
        int start = 0;
        int n = s.length();
        while (start < n) {
            if (s.startsWith("\r\n", start)) {
                break; // the blank line: end of the header section
            }
            int end = start;
            while (true) {
                int crlf = s.indexOf("\r\n", end);
                if (crlf < 0) {
                    end = n;
                    break;
                }
                end = crlf + 2;
                if (end >= n || (s.charAt(end) != ' ' && s.charAt(end) != '\t')) {
                    break;
                }
            }
            String raw = s.substring(start, end);
            int colon = raw.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("header line without a colon: "
                        + raw.substring(0, Math.min(raw.length(), 60)).strip());
            }
            fields.add(new HeaderField(raw.substring(0, colon).strip(), raw));
            start = end;
        }
        return fields;
    }

    /** Offset of the body in a whole message: just after the first empty line, or the end. */
    static int bodyOffset(byte[] message) {
        if (message.length >= 2 && message[0] == '\r' && message[1] == '\n') {
            return 2; // no headers at all
        }
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return i + 4;
            }
        }
        return message.length;
    }
}
