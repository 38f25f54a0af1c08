/**
 * {@code sluice-bench run}: the bench sink in process, the daemon jar in its own JVM (or an
 * attached daemon), a warm-up and a measured injection, then the join of each message's send,
 * 250 and arrival times by bench id into latency histograms, the daemon's CPU and peak RSS from
 * {@code /proc}, and the reports. The daemon is stopped by its own PID.
 */
package io.sluice.bench.run;
