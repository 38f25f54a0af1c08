package io.sluice.daemon.ingress;

import io.sluice.daemon.egress.window.WindowPolicy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code X-Sluice-Tenant}, {@code X-Sluice-Campaign}, {@code X-Sluice-Pool} and
 * {@code X-Sluice-Class} fields an application may put in a message to label it, and
 * {@code X-Sluice-Window}, its delivery window. They are instructions to Sluice, not part of the
 * mail: {@link #extract} returns their values (as envelope attribute names "tenant", "campaign",
 * "pool", "class", "send_window") and the message without them, so they
 * never reach a recipient. This is ingress's one header-extraction step: SMTP sessions check the
 * values against their policy, the HTTP API takes the labels from its JSON fields instead.
 */
public final class SluiceHeaders {
    private static final Map<String, String> FIELDS = Map.of("x-sluice-tenant", "tenant",
            "x-sluice-campaign", "campaign", "x-sluice-pool", "pool", "x-sluice-class", "class",
            "x-sluice-window", WindowPolicy.WINDOW_ATTRIBUTE);
    private static final String PREFIX = "x-sluice-";

    /** @param values attribute name to (unfolded, trimmed) value; the last field of a name wins */
    public record Extracted(Map<String, String> values, byte[] message, int length) {
    }

    private SluiceHeaders() {
    }

    /** {@code message[0, length)} is CRLF-normalised; returns it unchanged (same array) when it has none. */
    public static Extracted extract(byte[] message, int length) {
        HeaderSection headers = HeaderSection.scan(message, length);
        int end = headers.end();
        Map<String, String> values = new LinkedHashMap<>();
        ByteArrayOutputStream kept = null;
        int pos = 0;
        while (pos < end) {
            int fieldEnd = fieldEnd(message, pos, end);
            int colon = indexOf(message, (byte) ':', pos, fieldEnd);
            // only an X-Sluice-* field gets its name built: the others are most fields of every message
            String attribute = colon < 0 || !startsWithIgnoreCase(message, pos, colon, PREFIX) ? null
                    : FIELDS.get(new String(message, pos, colon - pos, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT));
            if (attribute != null) {
                if (kept == null) {
                    kept = new ByteArrayOutputStream(length);
                    kept.write(message, 0, pos);
                }
                String value = new String(message, colon + 1, fieldEnd - colon - 1, StandardCharsets.UTF_8)
                        .replace("\r\n", "").trim();
                values.put(attribute, value);
            } else if (kept != null) {
                kept.write(message, pos, fieldEnd - pos);
            }
            pos = fieldEnd;
        }
        if (kept == null) {
            return new Extracted(Map.of(), message, length);
        }
        kept.write(message, end, length - end);
        byte[] out = kept.toByteArray();
        return new Extracted(values, out, out.length);
    }

    /** Whether {@code m[from, to)}, leading white space skipped, starts with {@code lower}, ignoring ASCII case. */
    private static boolean startsWithIgnoreCase(byte[] m, int from, int to, String lower) {
        int p = from;
        while (p < to && (m[p] & 0xff) <= ' ') {
            p++;
        }
        if (to - p < lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = m[p + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Just past the CRLF ending this field and its continuation lines (or {@code end}). */
    private static int fieldEnd(byte[] m, int pos, int end) {
        int p = pos;
        while (p < end) {
            int eol = indexOf(m, (byte) '\n', p, end);
            p = eol < 0 ? end : eol + 1;
            if (p >= end || (m[p] != ' ' && m[p] != '\t')) {
                return p;
            }
        }
        return end;
    }

    private static int indexOf(byte[] m, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (m[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
