package io.sluice.daemon.egress.tls.sts;

import java.time.Instant;

/**
 * A policy as fetched: the TXT id it was fetched for and when, so its age can be held against its
 * {@code max_age} and a new id can be noticed (RFC 8461 §5.1).
 */
public record CachedPolicy(StsPolicy policy, String id, Instant fetched) {

    public Instant expires() {
        return fetched.plusSeconds(policy.maxAgeSeconds());
    }

    public boolean validAt(Instant now) {
        return now.isBefore(expires());
    }
}
