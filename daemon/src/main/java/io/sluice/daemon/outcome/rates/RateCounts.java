package io.sluice.daemon.outcome.rates;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts of each {@link Signal} over one window: the deliverability signals, and beside them the
 * tracked opens and clicks, a person's ({@code opens}, {@code clicks}) and machine traffic's apart.
 */
public record RateCounts(long delivered, long deferred, long bounced, long hardBounced, long blocked,
                         long complaints, long unsubscribes, long opens, long clicks, long machineOpens,
                         long machineClicks) {

    public static final RateCounts ZERO = new RateCounts(0, 0, 0, 0, 0, 0, 0);

    /** Deliverability counts without engagement. */
    public RateCounts(long delivered, long deferred, long bounced, long hardBounced, long blocked, long complaints,
                      long unsubscribes) {
        this(delivered, deferred, bounced, hardBounced, blocked, complaints, unsubscribes, 0, 0, 0, 0);
    }

    static RateCounts of(long[] n) {
        return new RateCounts(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10]);
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
            case OPEN -> opens;
            case CLICK -> clicks;
            case MACHINE_OPEN -> machineOpens;
            case MACHINE_CLICK -> machineClicks;
        };
    }

    /** Attempts with an outcome: delivered + deferred + bounced. */
    public long attempts() {
        return delivered + deferred + bounced;
    }

    public boolean isEmpty() {
        return attempts() == 0 && complaints == 0 && unsubscribes == 0 && opens == 0 && clicks == 0
                && machineOpens == 0 && machineClicks == 0;
    }

    public RateCounts plus(RateCounts o) {
        return new RateCounts(delivered + o.delivered, deferred + o.deferred, bounced + o.bounced,
                hardBounced + o.hardBounced, blocked + o.blocked, complaints + o.complaints,
                unsubscribes + o.unsubscribes, opens + o.opens, clicks + o.clicks, machineOpens + o.machineOpens,
                machineClicks + o.machineClicks);
    }

    public Map<Signal, Long> asMap() {
        Map<Signal, Long> m = new EnumMap<>(Signal.class);
        for (Signal s : Signal.values()) {
            m.put(s, get(s));
        }
        return m;
    }
}
