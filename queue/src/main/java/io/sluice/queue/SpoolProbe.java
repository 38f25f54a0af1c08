package io.sluice.queue;

/**
 * Observation points on the write path, for tests and metrics. Called on the spool's writer
 * thread: implementations must be quick and must not call back into the spool.
 * Positions are Chronicle indexes of the {@code messages} queue (they grow across roll cycles).
 */
public interface SpoolProbe {
    /** The message's record was written to the mapped file at {@code position}. */
    default void appended(MessageId id, long position) {}

    /** Everything up to and including {@code upToPosition} was forced to stable storage (FSYNC only). */
    default void synced(long upToPosition) {}

    /** The accept of {@code id} is about to complete: the caller may now answer 250/202. */
    default void acknowledged(MessageId id, long position) {}

    /**
     * The checkpoint beginning at journal index {@code begin} was forced to stable storage; only
     * now may the reclaimer delete the journal cycles before it. Called on the reclaim thread.
     */
    default void checkpointSynced(long begin) {}

    SpoolProbe NONE = new SpoolProbe() {};
}
