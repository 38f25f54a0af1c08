package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.ingress.TokenBucket;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one client may make the listener do with mail to the feedback addresses: how large it
 * may be ({@code sluice.feedback.max-message-bytes}) and how many such transactions it may open
 * per minute ({@code sluice.feedback.messages-per-minute-per-ip}).
 * The feedback addresses are open to anyone, and each mail to them is parsed and may write a
 * suppression: without a rate, one client could keep the parser and the suppression log busy.
 * A client is counted as {@link ClientLimits#clientOf} counts it (IPv6 by its /64).
 */
final class FeedbackLimits {
    /** Past this many tracked clients, those whose budget is whole again are forgotten. */
    private static final int TRACKED = 10_000;

    private final long maxMessageBytes;
    private final int perMinute;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, TokenBucket> buckets = new ConcurrentHashMap<>();

    FeedbackLimits(long maxMessageBytes, int perMinute, Clock clock) {
        this.maxMessageBytes = maxMessageBytes;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Charges one feedback transaction to the client; false (nothing charged) when its budget is spent. */
    boolean tryAcquire(InetAddress address) {
        if (perMinute == 0) {
            return true;
        }
        if (buckets.size() > TRACKED) {
            buckets.values().removeIf(TokenBucket::isFull);
        }
        return buckets.computeIfAbsent(ClientLimits.clientOf(address), c -> new TokenBucket(perMinute, clock)).tryTake(1);
    }

    static FeedbackLimits of(io.sluice.daemon.config.FeedbackListenerSettings settings, Clock clock) {
        return new FeedbackLimits(settings.maxMessageBytes(), settings.messagesPerMinutePerIp(), clock);
    }

    long maxMessageBytes() {
        return maxMessageBytes;
    }

    int perMinute() {
        return perMinute;
    }
}
