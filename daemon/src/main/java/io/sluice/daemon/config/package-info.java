/**
 * Typed settings, one record per {@code sluice.*} prefix, bound and validated by Micronaut at
 * start-up. A value that cannot be used stops start-up with a {@link
 * io.sluice.daemon.config.ConfigException} that names the key; nothing here reads files or
 * talks to the network.
 */
package io.sluice.daemon.config;
