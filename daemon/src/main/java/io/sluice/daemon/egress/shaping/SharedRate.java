package io.sluice.daemon.egress.shaping;

/**
 * A message rate paced on this node (GCRA, burst 1) that is also, in a cluster, a share of a
 * global rate: a slot needs both. A slot that another limit then refuses is given back to both,
 * so neither is spent on a message that was not sent. Thread-safe.
 */
final class SharedRate {
    private final Gcra local;
    private final SharedLimits.Share share;

    SharedRate(Rate rate, SharedLimits.Share share) {
        this.local = new Gcra(rate, 1);
        this.share = share;
    }

    Rate rate() {
        return local.rate();
    }

    void setRate(Rate rate) {
        local.setRate(rate);
    }

    /** Takes one slot; false when this node's pacing or its share of the cluster has none now. */
    boolean tryTake(long nanos) {
        Rate r = local.rate();
        if (r.unlimited()) {
            return true;
        }
        if (!share.tryMessage(r, nanos)) {
            return false;
        }
        if (local.tryAcquire(nanos)) {
            return true;
        }
        share.giveBack();
        return false;
    }

    /** Returns the slot of the last {@link #tryTake}. */
    void giveBack() {
        if (!local.rate().unlimited()) {
            local.giveBack();
            share.giveBack();
        }
    }

    /** Nanoseconds until a slot is likely (0 for an unlimited rate). */
    long waitNanos(long nanos) {
        Rate r = local.rate();
        return r.unlimited() ? 0 : Math.max(local.waitNanos(nanos), share.waitNanos(r, nanos));
    }
}
