package io.sluice.dkim;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who signs and how: {@code d=}, {@code s=}, the key, {@code c=}, the headers to sign, and an
 * optional signature lifetime ({@code x=}, RFC 6376 §3.5).
 *
 * @param signedHeaders the {@code h=} list exactly as given (repeat a name to over-sign it), or an
 *                      empty list to let {@link SignedHeaders#forMessage} choose per message
 * @param expiry        null for no {@code x=} tag
 */
public record SigningIdentity(String domain, String selector, DkimKey key, CanonPair canon,
                              List<String> signedHeaders, Duration expiry) {

    public SigningIdentity {
        domain = checkName("domain", domain);
        selector = checkName("selector", selector);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(canon, "canon");
        signedHeaders = List.copyOf(Objects.requireNonNull(signedHeaders, "signedHeaders"));
        if (!signedHeaders.isEmpty() && signedHeaders.stream().noneMatch(h -> h.equalsIgnoreCase("from"))) {
            throw new IllegalArgumentException("signed headers must include From (RFC 6376 §5.4)");
        }
        for (String h : signedHeaders) {
            if (h.isEmpty() || !h.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new IllegalArgumentException("bad header name in signed headers: '" + h + "'");
            }
        }
        if (expiry != null && (expiry.isNegative() || expiry.isZero())) {
            throw new IllegalArgumentException("expiry must be positive, got " + expiry);
        }
    }

    /** relaxed/relaxed, default headers, no expiry: what a sending platform normally wants. */
    public static SigningIdentity of(String domain, String selector, DkimKey key) {
        return new SigningIdentity(domain, selector, key, CanonPair.RELAXED_RELAXED, List.of(), null);
    }

    /** The same identity with another canonicalization. */
    public SigningIdentity withCanon(CanonPair c) {
        return new SigningIdentity(domain, selector, key, c, signedHeaders, expiry);
    }

    private static String checkName(String what, String s) {
        Objects.requireNonNull(s, what);
        String v = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        // d= and s= are ASCII DNS labels (RFC 6376 §3.1, §3.5); an IDN domain must arrive as A-labels.
        if (v.isEmpty() || !v.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
            throw new IllegalArgumentException(what + " '" + s + "' is not an ASCII DNS name");
        }
        return v.toLowerCase(Locale.ROOT);
    }
}
