package io.sluice.daemon.cluster;

import io.sluice.daemon.egress.shaping.HoldBroadcast;
import io.sluice.daemon.egress.shaping.SharedLimits;
import io.sluice.daemon.egress.warmup.SharedWarmup;

/**
 * What the egress engine shares with the other nodes: provider limits, warm-up budgets and
 * operator holds. {@link #LOCAL} on a single node.
 */
public record Shared(SharedLimits limits, SharedWarmup warmup, HoldBroadcast holds) {
    public static final Shared LOCAL = new Shared(SharedLimits.LOCAL, SharedWarmup.LOCAL, HoldBroadcast.LOCAL);
}
