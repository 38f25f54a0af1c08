/**
 * IP warm-up: named schedules (day -> daily cap, optional hourly caps and per-provider tables;
 * the shipped default runs 50 ... 100k over sixteen days) and
 * {@link io.sluice.daemon.egress.warmup.WarmupBudgets}, which enforces each warming source's budget per
 * provider across all its paths and keeps its progress in {@code warmup-progress.txt} under the
 * spool directory, written by {@link io.sluice.daemon.egress.warmup.ProgressWriter} on its own thread
 * once a second (a crash loses at most that second's sends). A spent budget sends traffic to the pool's other sources; when none is left,
 * mail waits. It is never bounced for it.
 */
package io.sluice.daemon.egress.warmup;
