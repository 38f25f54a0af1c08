package io.sluice.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The DKIM body hash ({@code bh=}, RFC 6376 §3.7) computed in one streaming pass: feed the body
 * bytes as spooled (CRLF line ends) in chunks of any size, then take {@link #digest()}.
 *
 * <p>Canonicalization happens on the fly with a few bytes of state; the only thing ever deferred
 * is a run of empty lines, held as a counter, because §3.4.3/§3.4.4 drop empty lines at the end
 * of the body and we cannot know a run is at the end until the input ends. So a 25 MB body costs
 * 25 MB of SHA-256 and nothing else: no copy, no second pass.
 *
 * <p>One instance per body and per canonicalization, used by one thread; not reusable after
 * {@link #digest()}.
 */
public final class BodyHasher {

    private static final byte[] CRLF = {'\r', '\n'};

    private final boolean relaxed;
    private final MessageDigest sha256;
    private final byte[] out = new byte[8192];
    private int outLen;

    private boolean pendingCr;      // saw CR, waiting to see whether LF follows
    private boolean pendingWsp;     // relaxed: WSP seen in this line, emitted as one SP if more text follows
    private long pendingEmptyLines; // CRLFs not yet emitted: end-of-line of the last text line + empty lines
    private boolean anyText;        // the body had a non-empty (canonical) line
    private boolean done;

    public BodyHasher(Canonicalization c) {
        this.relaxed = Objects.requireNonNull(c, "canonicalization") == Canonicalization.RELAXED;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The body hash of a whole body in memory. */
    public static byte[] hash(byte[] body, Canonicalization c) {
        BodyHasher h = new BodyHasher(c);
        h.update(body, 0, body.length);
        return h.digest();
    }

    public void update(byte[] b, int off, int len) {
        if (done) {
            throw new IllegalStateException("digest() already taken");
        }
        Objects.checkFromIndexSize(off, len, b.length);
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    endLine();
                    continue;
                }
                text((byte) '\r'); // a bare CR is ordinary line content
            }
            if (c == '\r') {
                pendingCr = true;
            } else if (relaxed && (c == ' ' || c == '\t')) {
                pendingWsp = true; // §3.4.4 a/b: runs become one SP, trailing runs vanish
            } else {
                text(c);
            }
        }
    }

    private void endLine() {
        pendingWsp = false;
        pendingEmptyLines++;
    }

    private void text(byte c) {
        if (pendingEmptyLines > 0) {
            flushCrlfs();
        }
        if (pendingWsp) {
            pendingWsp = false;
            put((byte) ' ');
        }
        put(c);
        anyText = true;
    }

    private void flushCrlfs() {
        for (long n = pendingEmptyLines; n > 0; n--) {
            put((byte) '\r');
            put((byte) '\n');
        }
        pendingEmptyLines = 0;
    }

    private void put(byte c) {
        if (outLen == out.length) {
            sha256.update(out, 0, outLen);
            outLen = 0;
        }
        out[outLen++] = c;
    }

    /** Finishes the body and returns the 32-byte SHA-256 of its canonical form. */
    public byte[] digest() {
        if (done) {
            throw new IllegalStateException("digest() already taken");
        }
        done = true;
        if (pendingCr) {
            text((byte) '\r'); // body ends in a lone CR: content, not a line end
        }
        pendingWsp = false; // trailing WSP of the last line is dropped (relaxed)
        sha256.update(out, 0, outLen);
        if (anyText) {
            // Both: trailing empty lines are dropped and the last line ends with exactly one CRLF,
            // whether or not the input had one (§3.4.3, §3.4.4).
            sha256.update(CRLF);
        } else if (!relaxed) {
            // §3.4.3: an empty body is a single CRLF in simple; §3.4.4 (errata 1384): relaxed
            // leaves it empty.
            sha256.update(CRLF);
        }
        return sha256.digest();
    }
}
