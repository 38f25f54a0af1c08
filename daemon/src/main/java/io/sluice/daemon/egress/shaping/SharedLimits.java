package io.sluice.daemon.egress.shaping;

/**
 * Limits that span the nodes of a cluster: a provider's message rate and connection cap hold for
 * the cluster in total, not per node. A single node's implementation ({@link #LOCAL}) shares
 * nothing and admits everything, leaving the node's own {@link ProviderThrottle} to decide.
 * Every method is called on delivery threads and must not wait for the network: cluster
 * implementations answer from leases renewed in the background.
 */
public interface SharedLimits {

    /** One node: nothing is shared. */
    SharedLimits LOCAL = key -> Share.UNSHARED;

    /**
     * This node's share of the global limits named {@code key}: {@code provider:NAME} for a
     * provider's totals, {@code ADDRESS>PROVIDER} for one source address's limits towards a
     * provider (the address, not the source's name: two nodes may name different addresses
     * alike, and only the same address is the same reputation).
     */
    Share share(String key);

    /** A node's share of one key's global limits. Thread-safe. */
    interface Share {
        /** Admits everything. */
        Share UNSHARED = new Share() {
            @Override
            public boolean tryMessage(Rate rate, long nanos) {
                return true;
            }

            @Override
            public void giveBack() {
            }

            @Override
            public long waitNanos(Rate rate, long nanos) {
                return 0;
            }

            @Override
            public int connectionAllowance(int max, int open) {
                return max;
            }
        };

        /** Takes one message slot of the global {@code rate}; false: none is here now. */
        boolean tryMessage(Rate rate, long nanos);

        /** Returns the slot of the last {@link #tryMessage} that was not used after all. */
        void giveBack();

        /** Nanoseconds until a slot is likely here (a hint for the pacing timer). */
        long waitNanos(Rate rate, long nanos);

        /**
         * Connections this node may hold now, of a cap of {@code max} for the whole cluster, given
         * that it holds {@code open}. Asking with {@code open} at the allowance tells the share a
         * connection is wanted.
         */
        int connectionAllowance(int max, int open);

        /**
         * A connection opened within the allowance, or one closed: {@code open} are open on this
         * node now. A share keeps what is open reserved and gives the rest back.
         */
        default void connectionsNow(int open) {
        }
    }
}
