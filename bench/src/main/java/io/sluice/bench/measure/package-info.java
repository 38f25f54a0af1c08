/**
 * What a bench run measures and how it is computed: the message each injector sends (with its
 * id and send time embedded as headers), size and domain distributions, per-second counters,
 * latency histograms (HdrHistogram, microseconds), process CPU and memory from {@code /proc},
 * and the reports (.hgrm, HTML with inline SVG, one key=value summary line).
 */
package io.sluice.bench.measure;
