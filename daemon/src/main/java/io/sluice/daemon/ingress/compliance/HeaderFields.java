package io.sluice.daemon.ingress.compliance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a CRLF message's header section (RFC 5322 §2.2): lower-case name, unfolded
 * value, and where each field starts and ends, so the gate can count, read and remove them.
 */
record HeaderFields(List<Field> all, Map<String, Integer> counts) {

    /** @param start offset of the name; @param end just past the CRLF ending the field (folds included) */
    record Field(String name, String value, int start, int end) {
    }

    static HeaderFields scan(byte[] m) {
        List<Field> out = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        int pos = 0;
        while (pos < m.length && !(m[pos] == '\r' && pos + 1 < m.length && m[pos + 1] == '\n')) {
            int end = pos;
            while (end < m.length) {
                int lf = end;
                while (lf < m.length && m[lf] != '\n') {
                    lf++;
                }
                end = Math.min(lf + 1, m.length);
                if (end >= m.length || (m[end] != ' ' && m[end] != '\t')) {
                    break;
                }
            }
            int colon = pos;
            while (colon < end && m[colon] != ':') {
                colon++;
            }
            if (colon >= end) {
                break; // not a header field: the body starts here
            }
            String name = new String(m, pos, colon - pos, StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT);
            String value = new String(m, colon + 1, end - colon - 1, StandardCharsets.UTF_8)
                    .replace("\r\n", "").replace("\n", "").strip();
            out.add(new Field(name, value, pos, end));
            counts.merge(name, 1, Integer::sum);
            pos = end;
        }
        return new HeaderFields(List.copyOf(out), Map.copyOf(counts));
    }

    int count(String name) {
        return counts.getOrDefault(name, 0);
    }

    /** The first field of this (lower-case) name's value, or null. */
    String first(String name) {
        for (Field f : all) {
            if (f.name().equals(name)) {
                return f.value();
            }
        }
        return null;
    }
}
