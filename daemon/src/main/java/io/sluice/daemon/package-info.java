/**
 * The Sluice daemon: a Micronaut application that wires the {@code queue}, {@code protocol} and
 * {@code dkim} libraries into a running MTA. Its packages follow the flow of mail
 * ({@code docs/architecture.md}): {@code ingress} → {@code spool} → {@code egress} →
 * {@code outcome}, with {@code operate} for the people who run it, {@code cluster} for several
 * nodes, {@code config} for settings and {@code label} for the names mail carries. This package
 * holds only the entry points ({@code Sluice}, {@code ConfigCheck}), which wire the rest; nothing
 * depends on it. Only this module knows Micronaut.
 */
package io.sluice.daemon;
