package io.sluice.daemon.cluster;

/** What {@code /health} says of cluster mode: off, or this node's id and whether Redis answers. */
public interface ClusterHealth {

    /** A single node. */
    ClusterHealth OFF = new ClusterHealth() {
        @Override
        public String mode() {
            return "single";
        }

        @Override
        public String nodeId() {
            return null;
        }

        @Override
        public boolean redisUp() {
            return false;
        }
    };

    /** {@code single} or {@code cluster}. */
    String mode();

    String nodeId();

    boolean redisUp();
}
