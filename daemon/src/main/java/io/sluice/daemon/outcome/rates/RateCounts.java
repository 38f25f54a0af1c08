package io.sluice.daemon.outcome.rates;

import java.util.EnumMap;
import java.util.Map;

/** Counts of each {@link Signal} over one window. */
public record RateCounts(long delivered, long deferred, long bounced, long hardBounced, long blocked,
                         long complaints, long unsubscribes) {

    public static final RateCounts ZERO = new RateCounts(0, 0, 0, 0, 0, 0, 0);

    static RateCounts of(long[] n) {
        return new RateCounts(n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
    }

    public long get(Signal s) {
        return switch (s) {
            case DELIVERED -> delivered;
            case DEFERRED -> deferred;
            case BOUNCED -> bounced;
            case HARD_BOUNCED -> hardBounced;
            case BLOCKED -> blocked;
            case COMPLAINT -> complaints;
            case UNSUBSCRIBE -> unsubscribes;
        };
    }

    /** Attempts with an outcome: delivered + deferred + bounced. */
    public long attempts() {
        return delivered + deferred + bounced;
    }

    public boolean isEmpty() {
        return attempts() == 0 && complaints == 0 && unsubscribes == 0;
    }

    public RateCounts plus(RateCounts o) {
        return new RateCounts(delivered + o.delivered, deferred + o.deferred, bounced + o.bounced,
                hardBounced + o.hardBounced, blocked + o.blocked, complaints + o.complaints,
                unsubscribes + o.unsubscribes);
    }

    public Map<Signal, Long> asMap() {
        Map<Signal, Long> m = new EnumMap<>(Signal.class);
        for (Signal s : Signal.values()) {
            m.put(s, get(s));
        }
        return m;
    }
}
