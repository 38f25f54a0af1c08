package io.sluice.queue;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * A message's identity: a ULID (26 Crockford base32 chars, 48-bit millisecond time + 80 random
 * bits). It is ours, not a Chronicle index, so it survives copy-forward and restarts, and it sorts
 * by acceptance time.
 */
public record MessageId(String value) implements Comparable<MessageId> {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom SEED = new SecureRandom();
    private static final Object LOCK = new Object();
    private static long lastMillis;
    private static long randHi; // 16 bits
    private static long randLo; // 64 bits

    public MessageId {
        Objects.requireNonNull(value, "value");
        if (value.length() != 26) {
            throw new IllegalArgumentException("a MessageId is 26 chars, got " + value.length());
        }
        for (int i = 0; i < 26; i++) {
            if (value.charAt(i) > 127) {
                throw new IllegalArgumentException("a MessageId is ASCII: " + value);
            }
        }
    }

    /**
     * The next id. Monotonic within one JVM: in the same millisecond the random part is
     * incremented (ULID's monotonic mode), so ids accepted one after another sort in that order.
     */
    public static MessageId next() {
        long millis = System.currentTimeMillis();
        long hi;
        long lo;
        synchronized (LOCK) {
            if (millis > lastMillis) {
                lastMillis = millis;
                randHi = SEED.nextInt() & 0xFFFFL;
                randLo = SEED.nextLong();
            } else {
                millis = lastMillis; // clock went back or same ms: stay monotonic
                randLo++;
                if (randLo == 0) {
                    randHi = (randHi + 1) & 0xFFFFL;
                }
            }
            hi = randHi;
            lo = randLo;
        }
        char[] out = new char[26];
        // 10 chars of time (50 bits, top 2 always zero), 16 chars of randomness (80 bits).
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new MessageId(new String(out));
    }

    @Override
    public int compareTo(MessageId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
