package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.ingress.TokenBucket;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed submission logins counted per account name, whatever address they come from (issue 18
 * item 13): {@link ClientLimits} stops one address guessing, this stops a botnet guessing one
 * account's password from many. Past {@code auth-failures-per-minute} failures an account's
 * logins fail without the password being believed until the allowance refills; the reply is the
 * same 535 as a wrong password, so the guesser learns nothing.
 */
final class AccountThrottle {
    private static final int MAX_TRACKED = 10_000;

    private final int failuresPerMinute;
    private final Clock clock;
    private final ConcurrentHashMap<String, TokenBucket> failures = new ConcurrentHashMap<>();

    AccountThrottle(int failuresPerMinute, Clock clock) {
        this.failuresPerMinute = failuresPerMinute;
        this.clock = clock;
    }

    void failed(String account) {
        failures.computeIfAbsent(key(account), a -> new TokenBucket(failuresPerMinute, clock)).tryTake(1);
        if (failures.size() > MAX_TRACKED) {
            failures.values().removeIf(TokenBucket::isFull); // names sprayed once, long refilled
        }
    }

    boolean blocked(String account) {
        TokenBucket bucket = failures.get(key(account));
        return bucket != null && !bucket.hasTokens();
    }

    private static String key(String account) {
        String a = account == null ? "" : account;
        return (a.length() > 256 ? a.substring(0, 256) : a).toLowerCase(Locale.ROOT);
    }
}
