package io.sluice.daemon.ingress;

import java.time.Clock;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled continuously at
 * {@code capacity} per minute. Thread-safe; one lock per bucket (buckets are per tenant or per
 * client address, so contention is low).
 */
public final class TokenBucket {
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final long capacity;
    private final Clock clock;
    private double tokens;
    private long lastNanos;

    public TokenBucket(long capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.clock = clock;
        this.tokens = capacity;
        this.lastNanos = nanos();
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Takes {@code n} tokens if there are that many; otherwise takes none. */
    public synchronized boolean tryTake(long n) {
        refill();
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** Whether at least one token is left (takes none). */
    public synchronized boolean hasTokens() {
        refill();
        return tokens >= 1;
    }

    /** Whether the bucket is full again, i.e. forgotten state would change nothing. */
    public synchronized boolean isFull() {
        refill();
        return tokens >= capacity;
    }

    private void refill() {
        long now = nanos();
        long elapsed = now - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + (double) capacity * elapsed / NANOS_PER_MINUTE);
            lastNanos = now;
        }
    }

    public long capacity() {
        return capacity;
    }
}
