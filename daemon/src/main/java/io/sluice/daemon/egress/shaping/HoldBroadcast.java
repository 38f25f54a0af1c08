package io.sluice.daemon.egress.shaping;

import java.time.Instant;

/**
 * Carries an operator's suspend and resume to every node of a cluster, so that holding a path or
 * a tenant back on one node holds it back everywhere. A single node's implementation
 * ({@link #LOCAL}) carries nothing.
 */
public interface HoldBroadcast {

    /** One node: nothing to tell. */
    HoldBroadcast LOCAL = new HoldBroadcast() {
        @Override
        public void suspended(String scope, Instant until) {
        }

        @Override
        public void resumed(String scope) {
        }

        @Override
        public void listen(Receiver receiver) {
        }
    };

    /** Where the holds placed on other nodes arrive (never the ones this node sent). */
    interface Receiver {
        void suspend(String scope, Instant until);

        void resume(String scope);
    }

    /** Tells the other nodes that an operator suspended {@code scope} until {@code until}. */
    void suspended(String scope, Instant until);

    /** Tells the other nodes that an operator resumed {@code scope}. */
    void resumed(String scope);

    void listen(Receiver receiver);
}
