package io.sluice.daemon.egress.signing;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a spooled message (CRLF line ends) splits into header section and body, as a DKIM
 * verifier splits it: at the first empty line (RFC 6376 §3.7, RFC 5322 §2.1); a message without
 * one is all header and has an empty body. Also finds the author domain in {@code From:}.
 *
 * @param headerEnd offset just past the last header field's CRLF (the header block to sign)
 * @param bodyStart offset of the first body byte (past the empty line), or the length
 */
record MessageParts(int headerEnd, int bodyStart) {

    static MessageParts of(byte[] m) {
        if (m.length >= 2 && m[0] == '\r' && m[1] == '\n') {
            return new MessageParts(0, 2);
        }
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
                return new MessageParts(i + 2, i + 4);
            }
        }
        return new MessageParts(m.length, m.length);
    }

    /**
     * The domain of the first address in the first {@code From:} field, lower-case, IDNs as
     * A-labels (how d= must be written); null when there is no usable From.
     */
    String authorDomain(byte[] m) {
        int pos = 0;
        while (pos < headerEnd) {
            int end = fieldEnd(m, pos);
            if (end - pos > 5 && (m[pos] | 0x20) == 'f' && (m[pos + 1] | 0x20) == 'r' && (m[pos + 2] | 0x20) == 'o'
                    && (m[pos + 3] | 0x20) == 'm') {
                int colon = pos + 4;
                while (colon < end && (m[colon] == ' ' || m[colon] == '\t')) {
                    colon++;
                }
                if (colon < end && m[colon] == ':') {
                    return domainOf(new String(m, colon + 1, end - colon - 1, StandardCharsets.UTF_8));
                }
            }
            pos = end;
        }
        return null;
    }

    /** Offset after the CRLF that ends the field starting at {@code pos} (continuation lines included). */
    private int fieldEnd(byte[] m, int pos) {
        int i = pos;
        while (i < headerEnd) {
            if (m[i] == '\n' && (i + 1 >= headerEnd || (m[i + 1] != ' ' && m[i + 1] != '\t'))) {
                return i + 1;
            }
            i++;
        }
        return headerEnd;
    }

    static String domainOf(String fromValue) {
        String v = stripComments(fromValue.replaceAll("\r\n", ""));
        int lt = v.indexOf('<');
        String addr;
        if (lt >= 0) {
            int gt = v.indexOf('>', lt);
            addr = v.substring(lt + 1, gt < 0 ? v.length() : gt);
        } else {
            int comma = v.indexOf(',');
            addr = comma < 0 ? v : v.substring(0, comma);
        }
        int at = addr.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String domain = addr.substring(at + 1).trim();
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (domain.isEmpty()) {
            return null;
        }
        try {
            return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Removes (comments) outside quoted strings, so "(at home) a@b" finds b. */
    private static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                if (depth == 0) {
                    b.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                b.append(c);
            } else if (c == '(' && !quoted) {
                depth++;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
