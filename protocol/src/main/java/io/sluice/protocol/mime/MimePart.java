package io.sluice.protocol.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One MIME entity: its header fields, its raw body and, for multipart and message/* types, its
 * children. Immutable once parsed; never throws on malformed input (see the package notes).
 */
public final class MimePart {

    static final int MAX_DEPTH = 8;
    static final int MAX_PARTS = 256;
    static final int MAX_HEADERS = 500;
    /* A header field longer than this is cut: RFC 5322 §2.1.1 allows 998 octets per line, a few folds more. */
    private static final int MAX_FIELD_CHARS = 16 * 1024;

    /** One header field, unfolded; the value keeps its original octets as ISO-8859-1 chars. */
    public record Header(String name, String value) {}

    private final List<Header> headers;
    private final byte[] headerBytes;
    private final byte[] body;
    private final List<MimePart> children;

    private MimePart(List<Header> headers, byte[] headerBytes, byte[] body, List<MimePart> children) {
        this.headers = headers;
        this.headerBytes = headerBytes;
        this.body = body;
        this.children = children;
    }

    /** Parses a whole message. Any input, even empty or binary, yields a part. */
    public static MimePart parse(byte[] raw) {
        int[] budget = {MAX_PARTS};
        return parse(raw == null ? new byte[0] : raw, 0, budget);
    }

    private static MimePart parse(byte[] raw, int depth, int[] budget) {
        budget[0]--;
        int split = headerEnd(raw);
        byte[] headerBytes = Arrays.copyOfRange(raw, 0, split < 0 ? 0 : split);
        List<Header> headers = split < 0 ? List.of() : parseHeaders(headerBytes);
        byte[] body = split < 0 ? raw : Arrays.copyOfRange(raw, bodyStart(raw, split), raw.length);
        MimePart shell = new MimePart(headers, headerBytes, body, List.of());
        if (depth >= MAX_DEPTH || budget[0] <= 0) {
            return shell;
        }
        String type = shell.mediaType();
        List<MimePart> children = List.of();
        if (type.startsWith("multipart/")) {
            String boundary = shell.parameter("boundary");
            if (boundary != null && !boundary.isEmpty()) {
                children = new ArrayList<>();
                List<byte[]> pieces = splitMultipart(body, boundary);
                if (pieces.isEmpty()) {
                    // The declared boundary never occurs (rewritten or anonymised mail): use the one the body uses.
                    String guessed = guessBoundary(body);
                    pieces = guessed == null ? pieces : splitMultipart(body, guessed);
                }
                for (byte[] piece : pieces) {
                    if (budget[0] <= 0) {
                        break;
                    }
                    children.add(parse(piece, depth + 1, budget));
                }
            }
        } else if (type.equals("message/rfc822") || type.equals("message/global")) {
            children = List.of(parse(shell.decodedBody(), depth + 1, budget));
        }
        return new MimePart(headers, headerBytes, body, List.copyOf(children));
    }

    /** All header fields in order. */
    public List<Header> headers() {
        return headers;
    }

    /** The header block exactly as received, without the blank line that ends it. */
    public byte[] headerBytes() {
        return headerBytes.clone();
    }

    /** The first value of a header field (name case-insensitive), trimmed, or null. */
    public String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value().strip();
            }
        }
        return null;
    }

    /** The first value with RFC 2047 encoded words decoded, or null. */
    public String decodedHeader(String name) {
        String v = header(name);
        return v == null ? null : EncodedWords.decode(v);
    }

    /** Lower-case {@code type/subtype}; {@code text/plain} when absent (RFC 2045 §5.2). */
    public String mediaType() {
        String ct = header("Content-Type");
        if (ct == null) {
            return "text/plain";
        }
        int semi = ct.indexOf(';');
        String t = (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return t.indexOf('/') > 0 ? t : "text/plain";
    }

    /** A Content-Type parameter, quotes removed, or null. */
    public String parameter(String name) {
        return HeaderParameters.get(header("Content-Type"), name);
    }

    /** Children: the parts of a multipart, or the one embedded message of a message/rfc822. */
    public List<MimePart> children() {
        return children;
    }

    /** The body as received (still transfer-encoded). */
    public byte[] rawBody() {
        return body.clone();
    }

    /** The body with its Content-Transfer-Encoding undone; the raw body if decoding fails. */
    public byte[] decodedBody() {
        String cte = header("Content-Transfer-Encoding");
        if (cte == null) {
            return body;
        }
        String enc = cte.strip().toLowerCase(Locale.ROOT);
        try {
            if (enc.equals("base64")) {
                return Base64.getMimeDecoder().decode(stripBase64Garbage(body));
            }
            if (enc.equals("quoted-printable")) {
                return QuotedPrintable.decode(body);
            }
        } catch (IllegalArgumentException malformed) {
            return body;
        }
        return body;
    }

    /** The decoded body as text in its declared charset (UTF-8, then ISO-8859-1 when unknown). */
    public String text() {
        return decodeCharset(decodedBody(), parameter("charset"));
    }

    /** This part and all parts below it, depth first. */
    public List<MimePart> flatten() {
        List<MimePart> out = new ArrayList<>();
        flattenInto(out);
        return out;
    }

    private void flattenInto(List<MimePart> out) {
        out.add(this);
        for (MimePart c : children) {
            c.flattenInto(out);
        }
    }

    static String decodeCharset(byte[] bytes, String charset) {
        Charset cs = StandardCharsets.UTF_8;
        if (charset != null) {
            try {
                cs = Charset.forName(charset.strip());
            } catch (RuntimeException unknown) {
                cs = StandardCharsets.UTF_8;
            }
        }
        return new String(bytes, cs);
    }

    private static byte[] stripBase64Garbage(byte[] b) {
        // The MIME decoder skips non-alphabet bytes but rejects data after padding; cut at the first '='
        // run followed by more text so a trailing signature or a truncated part still decodes.
        int end = b.length;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '=') {
                int j = i;
                while (j < b.length && (b[j] == '=' || b[j] == '\r' || b[j] == '\n' || b[j] == ' ')) {
                    j++;
                }
                end = j;
                break;
            }
        }
        int valid = 0;
        for (int i = 0; i < end; i++) {
            byte c = b[i];
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                valid++;
            }
        }
        byte[] out = new byte[valid + ((4 - valid % 4) % 4)];
        int k = 0;
        for (int i = 0; i < end; i++) {
            byte c = b[i];
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                out[k++] = c;
            }
        }
        if (valid % 4 == 1) {
            return Arrays.copyOf(out, valid - 1); // a lone sextet carries no whole byte
        }
        while (k < out.length) {
            out[k++] = '=';
        }
        return out;
    }

    /* Index of the end of the header block (start of the blank line), or -1 if the input has no header. */
    private static int headerEnd(byte[] raw) {
        if (raw.length == 0 || raw[0] == '\n' || (raw[0] == '\r' && raw.length > 1 && raw[1] == '\n')) {
            return raw.length == 0 ? -1 : 0;
        }
        if (!looksLikeHeaderLine(raw, 0)) {
            return -1;
        }
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                int next = i + 1;
                if (next >= raw.length) {
                    return raw.length;
                }
                if (raw[next] == '\n' || (raw[next] == '\r' && next + 1 < raw.length && raw[next + 1] == '\n')) {
                    return next;
                }
            }
        }
        return raw.length;
    }

    private static int bodyStart(byte[] raw, int headerEnd) {
        int i = headerEnd;
        if (i < raw.length && raw[i] == '\r') {
            i++;
        }
        if (i < raw.length && raw[i] == '\n') {
            i++;
        }
        return i;
    }

    private static boolean looksLikeHeaderLine(byte[] raw, int from) {
        for (int i = from; i < raw.length && i < from + 200; i++) {
            byte c = raw[i];
            if (c == ':') {
                return i > from;
            }
            if (c <= ' ' || c >= 127) {
                // RFC 5322 §2.2: field names are printable ASCII without ':'; "From " mbox lines pass too.
                return i - from == 4 && new String(raw, from, 4, StandardCharsets.ISO_8859_1).equals("From");
            }
        }
        return false;
    }

    private static List<Header> parseHeaders(byte[] block) {
        String text = new String(block, StandardCharsets.ISO_8859_1);
        List<Header> out = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (name != null && value.length() < MAX_FIELD_CHARS) {
                    value.append(' ').append(line.strip()); // RFC 5322 §2.2.3 unfolding
                }
                continue;
            }
            int colon = line.indexOf(':');
            boolean field = colon > 0 && line.substring(0, colon).strip().indexOf(' ') < 0;
            if (!field && name != null && !line.isBlank()) {
                // An unindented continuation ("boundary=..." on its own line): broken, common, meant as a fold.
                if (value.length() < MAX_FIELD_CHARS) {
                    value.append(' ').append(line.strip());
                }
                continue;
            }
            if (name != null) {
                add(out, name, value);
            }
            name = null;
            if (field) {
                name = line.substring(0, colon).strip();
                value.setLength(0);
                value.append(line, colon + 1, Math.min(line.length(), colon + 1 + MAX_FIELD_CHARS));
            }
            if (out.size() >= MAX_HEADERS) {
                name = null;
                break;
            }
        }
        if (name != null) {
            add(out, name, value);
        }
        return out;
    }

    private static void add(List<Header> out, String name, StringBuilder value) {
        String v = value.length() > MAX_FIELD_CHARS ? value.substring(0, MAX_FIELD_CHARS) : value.toString();
        out.add(new Header(name, v.strip()));
    }

    /* RFC 2046 §5.1.1: a delimiter is CRLF "--" boundary at the start of a line; "--" after it closes. */
    private static List<byte[]> splitMultipart(byte[] body, String boundary) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        int partStart = -1;
        int lineStart = 0;
        while (lineStart < body.length) {
            int lineEnd = indexOf(body, (byte) '\n', lineStart);
            int next = lineEnd < 0 ? body.length : lineEnd + 1;
            if (startsWith(body, lineStart, delim)) {
                if (partStart >= 0) {
                    parts.add(Arrays.copyOfRange(body, partStart, trimEol(body, partStart, lineStart)));
                }
                int after = lineStart + delim.length;
                if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
                    return parts;
                }
                partStart = next;
            }
            lineStart = next;
        }
        if (partStart >= 0 && partStart < body.length) {
            parts.add(Arrays.copyOfRange(body, partStart, body.length)); // truncated: keep what came
        }
        return parts;
    }

    private static String guessBoundary(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(?m)^--([^\\s-][^\\s]{5,69})\\s*$").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static int trimEol(byte[] b, int start, int end) {
        if (end > start && b[end - 1] == '\n') {
            end--;
        }
        if (end > start && b[end - 1] == '\r') {
            end--;
        }
        return end;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (at + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** RFC 2045 §6.7 quoted-printable, lenient: a bad escape is kept literally. */
    static final class QuotedPrintable {
        private QuotedPrintable() {}

        static byte[] decode(byte[] in) {
            byte[] out = new byte[in.length];
            int k = 0;
            for (int i = 0; i < in.length; i++) {
                byte c = in[i];
                if (c == '=') {
                    if (i + 1 < in.length && in[i + 1] == '\n') {
                        i++;
                        continue;
                    }
                    if (i + 2 < in.length && in[i + 1] == '\r' && in[i + 2] == '\n') {
                        i += 2;
                        continue;
                    }
                    if (i + 2 < in.length) {
                        int hi = Character.digit(in[i + 1], 16);
                        int lo = Character.digit(in[i + 2], 16);
                        if (hi >= 0 && lo >= 0) {
                            out[k++] = (byte) (hi * 16 + lo);
                            i += 2;
                            continue;
                        }
                    }
                }
                out[k++] = c;
            }
            return Arrays.copyOf(out, k);
        }
    }

    /** RFC 2047 encoded words ({@code =?charset?B|Q?text?=}); undecodable words stay as written. */
    static final class EncodedWords {
        private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");
        private static final Pattern BETWEEN_WORDS = Pattern.compile("(\\?=)\\s+(=\\?)");

        private EncodedWords() {}

        static String decode(String value) {
            if (value.indexOf("=?") < 0) {
                return value;
            }
            // §6.2: white space between adjacent encoded words is not displayed.
            String v = BETWEEN_WORDS.matcher(value).replaceAll("$1$2");
            Matcher m = WORD.matcher(v);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String decoded;
                try {
                    byte[] bytes = m.group(2).equalsIgnoreCase("B")
                            ? Base64.getMimeDecoder().decode(m.group(3))
                            : QuotedPrintable.decode(m.group(3).replace('_', ' ').getBytes(StandardCharsets.ISO_8859_1));
                    String cs = m.group(1);
                    int star = cs.indexOf('*'); // RFC 2231 language suffix
                    decoded = decodeCharset(bytes, star < 0 ? cs : cs.substring(0, star));
                } catch (RuntimeException bad) {
                    decoded = m.group();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(decoded));
            }
            m.appendTail(out);
            return out.toString();
        }
    }
}
