package io.sluice.dkim;

import java.util.Objects;

/** The {@code c=} tag: header and body canonicalization (RFC 6376 §3.5). */
public record CanonPair(Canonicalization header, Canonicalization body) {

    /** relaxed/relaxed: survives the header rewrapping and trailing-space damage common in transit. */
    public static final CanonPair RELAXED_RELAXED = new CanonPair(Canonicalization.RELAXED, Canonicalization.RELAXED);
    public static final CanonPair SIMPLE_SIMPLE = new CanonPair(Canonicalization.SIMPLE, Canonicalization.SIMPLE);

    public CanonPair {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
    }

    /** Parses {@code relaxed/simple}; a lone {@code relaxed} means relaxed/simple (§3.5, c= tag). */
    public static CanonPair parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return new CanonPair(Canonicalization.parse(s), Canonicalization.SIMPLE);
        }
        return new CanonPair(Canonicalization.parse(s.substring(0, slash)), Canonicalization.parse(s.substring(slash + 1)));
    }

    /** The {@code c=} value, e.g. {@code relaxed/simple}. */
    public String tag() {
        return header.tag() + "/" + body.tag();
    }
}
