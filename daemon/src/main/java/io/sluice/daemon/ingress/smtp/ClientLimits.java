package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.ingress.TokenBucket;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per client address, for one listener: how many sessions are open (at most
 * {@code max-connections-per-ip}) and how many AUTH attempts failed in the last minute (at most
 * {@code auth-failures-per-minute}; past that the address gets {@code 421 4.7.0}).
 */
final class ClientLimits {
    private final int maxConnectionsPerIp;
    private final int authFailuresPerMinute;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, TokenBucket> authFailures = new ConcurrentHashMap<>();

    ClientLimits(int maxConnectionsPerIp, int authFailuresPerMinute, Clock clock) {
        this.maxConnectionsPerIp = maxConnectionsPerIp;
        this.authFailuresPerMinute = authFailuresPerMinute;
        this.clock = clock;
    }

    /** Null when a new session from {@code client} may start (and is counted); else the 421 text. */
    String admit(InetAddress client) {
        if (authBlocked(client)) {
            return "4.7.0 Too many failed AUTH attempts from " + client.getHostAddress() + "; try again later";
        }
        AtomicInteger n = open.computeIfAbsent(client, c -> new AtomicInteger());
        if (n.incrementAndGet() > maxConnectionsPerIp) {
            release(client);
            return "4.7.0 Too many connections from " + client.getHostAddress() + " (at most "
                    + maxConnectionsPerIp + ")";
        }
        return null;
    }

    void release(InetAddress client) {
        open.computeIfPresent(client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Records a failed AUTH; once the allowance is spent, {@link #authBlocked} is true for a while. */
    void authFailed(InetAddress client) {
        authFailures.computeIfAbsent(client, c -> new TokenBucket(authFailuresPerMinute, clock)).tryTake(1);
        if (authFailures.size() > 10_000) {
            authFailures.values().removeIf(TokenBucket::isFull);
        }
    }

    boolean authBlocked(InetAddress client) {
        TokenBucket bucket = authFailures.get(client);
        return bucket != null && !bucket.hasTokens();
    }

    int openFrom(InetAddress client) {
        AtomicInteger n = open.get(client);
        return n == null ? 0 : n.get();
    }
}
