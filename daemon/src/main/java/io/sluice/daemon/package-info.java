/**
 * The Sluice daemon: a Micronaut application that wires the {@code queue}, {@code protocol}
 * and {@code dkim} libraries into a running MTA. Sub-packages follow the flow of mail:
 * {@code ingress} → {@code spool} → {@code delivery}, with {@code events} recording what
 * happened and {@code http} serving health and APIs. Only this module knows Micronaut.
 */
package io.sluice.daemon;
