package io.sluice.daemon.engagement;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Finds the {@code text/html} parts of a MIME message (not attachments), and the
 * {@code text/plain} ones when asked, decodes each (its transfer encoding and charset), lets a
 * function rewrite it and encodes it back the same way. A part without Content-Type is text/plain
 * (RFC 2045 §5.2).
 * Everything else keeps its bytes: the header sections, other parts, preambles and boundaries.
 * Headers are parsed with Jakarta Mail ({@link InternetHeaders}, {@link ContentType}), the
 * encodings done with {@link MimeUtility}; only the walk over the multipart structure is ours, so
 * that untouched bytes stay untouched. A part whose rewritten lines would pass RFC 5322's 998
 * octets in 7bit/8bit goes out quoted-printable instead, its Content-Transfer-Encoding changed.
 */
final class MimeHtml {
    private static final int MAX_DEPTH = 20;
    private static final int MAX_LINE = 998;

    private MimeHtml() {
    }

    /** The message with every HTML part rewritten; the same array when there is none. */
    static byte[] rewrite(byte[] message, UnaryOperator<String> html) {
        return rewrite(message, html, null);
    }

    /**
     * The message with every HTML part rewritten by {@code html} and, when {@code text} is not
     * null, every plain-text part by {@code text}, in the order they appear; the same array when
     * nothing changed.
     */
    static byte[] rewrite(byte[] message, UnaryOperator<String> html, UnaryOperator<String> text) {
        String entity = new String(message, StandardCharsets.ISO_8859_1); // one char per octet: nothing lost
        String out = entity(entity, new Rewrites(html, text), 0);
        return out == entity ? message : out.getBytes(StandardCharsets.ISO_8859_1);
    }

    private record Rewrites(UnaryOperator<String> html, UnaryOperator<String> text) {
    }

    /* One entity (header section, blank line, body): the same String object when unchanged. */
    private static String entity(String e, Rewrites rewrites, int depth) {
        int split = e.indexOf("\r\n\r\n");
        if (split < 0 || depth > MAX_DEPTH) {
            return e;
        }
        String header = e.substring(0, split + 2); // ends with the last field's CRLF
        String body = e.substring(split + 4);
        InternetHeaders h;
        ContentType type;
        try {
            h = new InternetHeaders(new ByteArrayInputStream((header + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
            String ct = h.getHeader("Content-Type", null);
            type = new ContentType(ct == null ? "text/plain" : ct);
            String cd = h.getHeader("Content-Disposition", null);
            if (cd != null && new ContentDisposition(cd).getDisposition().equalsIgnoreCase("attachment")) {
                return e;
            }
        } catch (MessagingException | RuntimeException bad) {
            return e; // a header we cannot read: leave the part as it is
        }
        if (type.match("multipart/*")) {
            String boundary = type.getParameter("boundary");
            if (boundary == null || boundary.isEmpty()) {
                return e;
            }
            String rewritten = multipart(body, boundary, rewrites, depth);
            return rewritten == body ? e : header + "\r\n" + rewritten;
        }
        UnaryOperator<String> rewrite = type.match("text/html") ? rewrites.html()
                : type.match("text/plain") ? rewrites.text() : null;
        if (rewrite == null) {
            return e;
        }
        String cte = h.getHeader("Content-Transfer-Encoding", null);
        cte = cte == null ? "7bit" : cte.strip().toLowerCase(Locale.ROOT);
        Charset charset = charset(type.getParameter("charset"));
        try {
            byte[] decoded = decode(body.getBytes(StandardCharsets.ISO_8859_1), cte);
            String before = new String(decoded, charset);
            if (!java.util.Arrays.equals(before.getBytes(charset), decoded)) {
                return e; // bytes the charset cannot carry through: rewriting would damage the part
            }
            String after = rewrite.apply(before);
            if (after.equals(before)) {
                return e;
            }
            byte[] raw = crlf(after).getBytes(charset);
            String encoding = cte;
            if (!cte.equals("base64") && !cte.equals("quoted-printable") && longestLine(raw) > MAX_LINE) {
                encoding = "quoted-printable";
                header = withEncoding(header, encoding);
            }
            String encoded = new String(encode(raw, encoding), StandardCharsets.ISO_8859_1);
            if (!encoded.endsWith("\r\n") && body.endsWith("\r\n")) {
                encoded += "\r\n";
            }
            return header + "\r\n" + encoded;
        } catch (IOException | MessagingException | RuntimeException bad) {
            return e;
        }
    }

    /* The parts between "--boundary" lines, each rewritten; the same String when none changed. */
    private static String multipart(String body, String boundary, Rewrites rewrites, int depth) {
        String delimiter = "--" + boundary;
        StringBuilder out = new StringBuilder(body.length() + 1024);
        boolean changed = false;
        int pos = 0;
        int partStart = -1;
        while (pos <= body.length()) {
            int eol = body.indexOf("\r\n", pos);
            int lineEnd = eol < 0 ? body.length() : eol;
            String line = body.substring(pos, lineEnd);
            boolean isDelimiter = line.startsWith(delimiter)
                    && line.substring(delimiter.length()).replaceFirst("^--", "").isBlank();
            if (isDelimiter) {
                if (partStart >= 0) {
                    // the CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)
                    int partEnd = Math.max(partStart, pos - 2);
                    String part = body.substring(partStart, partEnd);
                    String rewritten = entity(part, rewrites, depth + 1);
                    changed |= rewritten != part;
                    out.append(rewritten).append(body, partEnd, pos);
                } else {
                    out.append(body, 0, pos); // the preamble
                }
                out.append(line).append(eol < 0 ? "" : "\r\n");
                if (line.startsWith(delimiter + "--")) {
                    out.append(body, Math.min(body.length(), lineEnd + 2), body.length()); // the epilogue
                    return changed ? out.toString() : body;
                }
                partStart = eol < 0 ? body.length() : eol + 2;
            }
            if (eol < 0) {
                break;
            }
            pos = eol + 2;
        }
        return body; // no closing delimiter: leave it alone
    }

    private static Charset charset(String name) {
        try {
            // no charset: ISO-8859-1 carries every octet through unchanged
            return name == null ? StandardCharsets.ISO_8859_1 : Charset.forName(MimeUtility.javaCharset(name));
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    private static byte[] decode(byte[] body, String cte) throws MessagingException, IOException {
        if (cte.equals("7bit") || cte.equals("8bit") || cte.equals("binary")) {
            return body;
        }
        try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(body), cte)) {
            return in.readAllBytes();
        }
    }

    private static byte[] encode(byte[] raw, String cte) throws MessagingException, IOException {
        if (cte.equals("7bit") || cte.equals("8bit") || cte.equals("binary")) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4 / 3 + 64);
        try (OutputStream enc = MimeUtility.encode(out, cte)) {
            enc.write(raw);
        }
        return out.toByteArray();
    }

    private static String crlf(String s) {
        return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
    }

    private static int longestLine(byte[] b) {
        int longest = 0;
        int run = 0;
        for (byte x : b) {
            if (x == '\n' || x == '\r') {
                run = 0;
            } else if (++run > longest) {
                longest = run;
            }
        }
        return longest;
    }

    /* The header section with its Content-Transfer-Encoding replaced (or added). */
    private static String withEncoding(String header, String encoding) {
        String kept = header.replaceAll("(?im)^Content-Transfer-Encoding:.*\\r\\n([ \\t].*\\r\\n)*", "");
        return kept + "Content-Transfer-Encoding: " + encoding + "\r\n";
    }
}
