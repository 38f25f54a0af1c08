package io.sluice.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the {@code DKIM-Signature} field for one {@link SigningIdentity} (RFC 6376 §5).
 *
 * <p>Split for "sign late, hash early": {@link #sign(byte[], byte[], Instant)} takes the header
 * section as it will be sent plus a body hash computed earlier by {@link BodyHasher} with
 * {@code identity.canon().body()}. Several signers may sign the same header section (e.g. RSA and
 * Ed25519 for the author domain plus a platform signature); prepend every returned field. Each
 * signs the section without the others' fields, so their order does not matter.
 *
 * <p>Thread-safe; make one per identity and keep it. JCA {@link Signature} objects are not, so each thread keeps one already
 * initialised with the key (initialising per call costs a key conversion every time; the
 * benchmark compares both against the raw sign rate).
 */
public final class DkimSigner {

    /** Fold the field near this width (RFC 5322 §2.1.1 recommends 78). */
    private static final int LINE = 78;

    /** How the tags are laid out; only the RFC 8463 Appendix A reproduction needs the second. */
    enum Layout {
        /** v a c d s t [x] h bh b, h= as {@code from:to}. */
        COMPACT,
        /** v a c d i q s t h bh b with {@code i=@d}, {@code q=dns/txt} and h= as {@code from : to}, as in RFC 8463 A.3. */
        RFC8463
    }

    private final SigningIdentity id;
    private final Layout layout;
    private final ThreadLocal<Signature> signature;

    public DkimSigner(SigningIdentity id) {
        this(id, Layout.COMPACT);
    }

    DkimSigner(SigningIdentity id, Layout layout) {
        this.id = Objects.requireNonNull(id, "id");
        this.layout = layout;
        newSignature(); // a key the provider rejects fails here, at configuration time, not per message
        this.signature = ThreadLocal.withInitial(this::newSignature);
    }

    public SigningIdentity identity() {
        return id;
    }

    /**
     * Signs a header section.
     *
     * @param headerBlock the raw header section as it will be sent (CRLF line ends; the empty line
     *                    that ends it may be included or not)
     * @param bodyHash    the 32-byte SHA-256 from a {@link BodyHasher} run with {@code canon().body()}
     * @param now         the signing time ({@code t=}; {@code x=} counts from it)
     * @return the complete folded {@code DKIM-Signature: ...} field, CRLF-terminated, to prepend
     */
    public String sign(byte[] headerBlock, byte[] bodyHash, Instant now) {
        Objects.requireNonNull(headerBlock, "headerBlock");
        Objects.requireNonNull(now, "now");
        if (bodyHash == null || bodyHash.length != 32) {
            throw new IllegalArgumentException("body hash must be the 32-byte SHA-256 from BodyHasher");
        }
        List<HeaderField> fields = HeaderField.parse(headerBlock);
        List<String> h = id.signedHeaders().isEmpty() ? SignedHeaders.defaultsFor(fields) : id.signedHeaders();

        Folder f = new Folder("DKIM-Signature:");
        f.word("v=1;");
        f.word("a=" + id.key().algorithm().tag() + ";");
        f.word("c=" + id.canon().tag() + ";");
        f.word("d=" + id.domain() + ";");
        if (layout == Layout.RFC8463) {
            f.word("i=@" + id.domain() + ";");
            f.word("q=dns/txt;");
        }
        f.word("s=" + id.selector() + ";");
        long t = now.getEpochSecond();
        f.word("t=" + t + ";");
        if (id.expiry() != null) {
            f.word("x=" + (t + id.expiry().toSeconds()) + ";");
        }
        for (int i = 0; i < h.size(); i++) {
            String piece = (i == 0 ? "h=" : "") + h.get(i) + (i == h.size() - 1 ? ";" : layout == Layout.RFC8463 ? "" : ":");
            if (layout == Layout.RFC8463) {
                f.word(piece);
                if (i < h.size() - 1) {
                    f.word(":");
                }
            } else if (i == 0) {
                f.word(piece);
            } else {
                f.glued(piece);
            }
        }
        f.word("bh=" + Base64.getEncoder().encodeToString(bodyHash) + ";");
        f.word("b=");
        String unsigned = f.text();

        byte[] data = signedData(fields, h, unsigned);
        String b = Base64.getEncoder().encodeToString(signBytes(data));
        f.glued(b, true);
        return f.text() + "\r\n";
    }

    /**
     * Convenience for whole messages: {@code message} is CRLF header section, empty line, body.
     * Returns a new array: the signature field followed by the message.
     */
    public byte[] sign(byte[] message, Instant now) {
        int bodyAt = HeaderField.bodyOffset(message);
        BodyHasher bh = new BodyHasher(id.canon().body());
        bh.update(message, bodyAt, message.length - bodyAt);
        byte[] header = new byte[bodyAt];
        System.arraycopy(message, 0, header, 0, bodyAt);
        byte[] sig = sign(header, bh.digest(), now).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[sig.length + message.length];
        System.arraycopy(sig, 0, out, 0, sig.length);
        System.arraycopy(message, 0, out, sig.length, message.length);
        return out;
    }

    /**
     * The data the signature covers (RFC 6376 §3.7, §5.4.2): for each name in h=, the last not yet
     * used field of that name, bottom up; a name with no field left contributes nothing (which is
     * what makes over-signing work). Then our own field with b= empty and no final CRLF.
     */
    private byte[] signedData(List<HeaderField> fields, List<String> h, String unsignedField) {
        Map<String, Integer> nextFromBottom = new HashMap<>();
        StringBuilder sb = new StringBuilder(1024);
        var canon = id.canon().header();
        for (String name : h) {
            String key = name.toLowerCase(Locale.ROOT);
            int from = nextFromBottom.getOrDefault(key, fields.size() - 1);
            int i = from;
            while (i >= 0 && !fields.get(i).name().equalsIgnoreCase(key)) {
                i--;
            }
            nextFromBottom.put(key, i - 1);
            if (i >= 0) {
                String c = canon.canonicalizeHeader(fields.get(i).raw());
                sb.append(c);
                if (!c.endsWith("\r\n")) {
                    sb.append("\r\n"); // simple, last field of a section without its CRLF
                }
            }
        }
        String own = canon.canonicalizeHeader(unsignedField);
        if (own.endsWith("\r\n")) {
            own = own.substring(0, own.length() - 2);
        }
        sb.append(own);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] signBytes(byte[] data) {
        Signature s = signature.get();
        try {
            if (id.key().algorithm() == Algorithm.ED25519_SHA256) {
                // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data, not the data itself.
                s.update(MessageDigest.getInstance("SHA-256").digest(data));
            } else {
                s.update(data);
            }
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed for d=" + id.domain() + " s=" + id.selector(), e);
        }
    }

    private Signature newSignature() {
        try {
            Algorithm a = id.key().algorithm();
            Signature s = a == Algorithm.ED25519_SHA256
                    ? Signature.getInstance(a.jcaName(), DkimKey.BC)
                    : Signature.getInstance(a.jcaName());
            s.initSign(id.key().privateKey());
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with " + id.key() + ": " + e.getMessage(), e);
        }
    }

    /** Builds a folded header field: words separated by SP, or by CRLF SP where a line fills up. */
    private static final class Folder {
        private final StringBuilder sb = new StringBuilder(640);
        private int lineLen;

        Folder(String start) {
            sb.append(start);
            lineLen = start.length();
        }

        void word(String w) {
            if (lineLen + 1 + w.length() > LINE) {
                sb.append("\r\n ");
                lineLen = 1;
            } else {
                sb.append(' ');
                lineLen++;
            }
            sb.append(w);
            lineLen += w.length();
        }

        /** Appended without a space; folds before it if it does not fit. */
        void glued(String w) {
            if (lineLen + w.length() > LINE) {
                sb.append("\r\n ");
                lineLen = 1;
            }
            sb.append(w);
            lineLen += w.length();
        }

        /** Appended without a space, broken wherever a line fills (base64 tolerates FWS anywhere). */
        void glued(String w, boolean breakAnywhere) {
            int i = 0;
            while (i < w.length()) {
                int room = LINE - lineLen;
                if (room <= 0) {
                    sb.append("\r\n ");
                    lineLen = 1;
                    continue;
                }
                int n = Math.min(room, w.length() - i);
                sb.append(w, i, i + n);
                lineLen += n;
                i += n;
            }
        }

        String text() {
            return sb.toString();
        }
    }
}
