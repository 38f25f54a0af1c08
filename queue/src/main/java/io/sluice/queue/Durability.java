package io.sluice.queue;

/** When an accepted message counts as safe, i.e. when {@link Spool#accept} returns. */
public enum Durability {
    /** Written to the memory-mapped file: survives a killed process, not a power cut. */
    MMAP,
    /** Written and fsynced by a group commit: survives a power cut. */
    FSYNC
}
