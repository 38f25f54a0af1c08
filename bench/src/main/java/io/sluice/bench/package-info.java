/**
 * The Sluice load tool ({@code bin/sluice-bench}): picocli commands {@code inject}, {@code sink}
 * and {@code run}. Bad input is a {@link io.sluice.bench.UserError}: one line, exit status 2.
 */
package io.sluice.bench;
