/**
 * JMH benchmarks of the spool's hot path (accept throughput per durability mode and body size).
 * Test-scoped: they measure, they never assert; numbers go to docs/benchmarks.md.
 */
package io.sluice.queue.bench;
