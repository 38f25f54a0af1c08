package io.sluice.daemon.outcome.tokens;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * HMAC-SHA256 under {@code sluice.bounce.secret}, cut to 64 bits and written in lower-case
 * base32 (13 characters: survives MTAs that fold local parts to lower case). 64 bits is ample
 * against forgery by guessing: a forger gets one try per mail.
 */
public final class TokenSigner {
    private static final char[] B32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private final byte[] key;

    public TokenSigner(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the secret must be at least 16 characters");
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The 13-character tag of {@code data}. */
    public String tag(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] full = mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (full[i] & 0xff);
            }
            char[] out = new char[13];
            for (int i = 12; i >= 0; i--) {
                out[i] = B32[(int) (v & 31)];
                v >>>= 5;
            }
            return new String(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time check of a tag (case-insensitive: local parts may come back upper-cased). */
    public boolean verify(String data, String tag) {
        if (tag == null || tag.length() != 13) {
            return false;
        }
        return MessageDigest.isEqual(tag(data).getBytes(StandardCharsets.US_ASCII),
                tag.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
