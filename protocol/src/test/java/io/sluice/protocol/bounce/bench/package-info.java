/**
 * JMH benchmarks for the bounce classifier (the synchronous path: one call per non-2xx reply).
 * Not run by surefire; see {@link io.sluice.protocol.bounce.bench.ClassifierBenchmark} for the command.
 */
package io.sluice.protocol.bounce.bench;
