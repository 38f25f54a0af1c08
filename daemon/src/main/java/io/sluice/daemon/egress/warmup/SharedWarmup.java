package io.sluice.daemon.egress.warmup;

/**
 * Warm-up budgets that span the nodes of a cluster: a source's cap for a day (and hour) holds for
 * all nodes sending from it together. The single node's implementation ({@link #LOCAL}) shares
 * nothing: {@link WarmupBudgets}' own counters decide. Called with the budgets' lock held, so a
 * cluster implementation answers from leased units and never waits for the network.
 */
public interface SharedWarmup {

    /** One node: the local counters are the whole truth. */
    SharedWarmup LOCAL = new SharedWarmup() {
        @Override
        public boolean tryTake(String source, String provider, long epochDay, long dailyCap, long hour, long hourlyCap) {
            return true;
        }

        @Override
        public void giveBack(String source, String provider, long epochDay, long hour) {
        }
    };

    /**
     * Takes one unit of {@code source}'s budget (a source is named here by its bound address: the
     * same IP is the same reputation on every node; a source without one is not shared) towards
     * {@code provider} for UTC day
     * {@code epochDay} (cap {@code dailyCap}) and hour {@code hour} since the epoch (cap
     * {@code hourlyCap}); false when the cluster has none left for this node now.
     */
    boolean tryTake(String source, String provider, long epochDay, long dailyCap, long hour, long hourlyCap);

    /** Returns a unit taken by {@link #tryTake} whose delivery did not happen. */
    void giveBack(String source, String provider, long epochDay, long hour);
}
