package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.ingress.TokenBucket;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per client, for one listener: how many sessions are open (at most
 * {@code max-connections-per-ip}) and how many AUTH attempts failed in the last minute (at most
 * {@code auth-failures-per-minute}; past that the client gets {@code 421 4.7.0}).
 *
 * <p>A client is an IPv4 address or an IPv6 /64: providers hand each subscriber at least a /64
 * (RFC 6177), and a host may take a fresh address in it for every connection, so counting
 * single IPv6 addresses would let one client open 2^64 times the limit.
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

    /** Null when a new session from {@code address} may start (and is counted); else the 421 text. */
    String admit(InetAddress address) {
        InetAddress client = clientOf(address);
        if (authBlocked(address)) {
            return "4.7.0 Too many failed AUTH attempts from " + describe(client) + "; try again later";
        }
        AtomicInteger n = open.computeIfAbsent(client, c -> new AtomicInteger());
        if (n.incrementAndGet() > maxConnectionsPerIp) {
            release(address);
            return "4.7.0 Too many connections from " + describe(client) + " (at most "
                    + maxConnectionsPerIp + ")";
        }
        return null;
    }

    void release(InetAddress address) {
        open.computeIfPresent(clientOf(address), (c, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** The key limits count by: the address itself for IPv4, its /64 for IPv6. */
    static InetAddress clientOf(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        java.util.Arrays.fill(b, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes is always a valid length
        }
    }

    private static String describe(InetAddress client) {
        return client instanceof Inet6Address ? client.getHostAddress() + "/64" : client.getHostAddress();
    }

    /** Records a failed AUTH; once the allowance is spent, {@link #authBlocked} is true for a while. */
    void authFailed(InetAddress address) {
        InetAddress client = clientOf(address);
        authFailures.computeIfAbsent(client, c -> new TokenBucket(authFailuresPerMinute, clock)).tryTake(1);
        if (authFailures.size() > 10_000) {
            authFailures.values().removeIf(TokenBucket::isFull);
        }
    }

    boolean authBlocked(InetAddress address) {
        TokenBucket bucket = authFailures.get(clientOf(address));
        return bucket != null && !bucket.hasTokens();
    }

    int openFrom(InetAddress address) {
        AtomicInteger n = open.get(clientOf(address));
        return n == null ? 0 : n.get();
    }
}
