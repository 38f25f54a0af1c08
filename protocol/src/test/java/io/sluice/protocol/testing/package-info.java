/**
 * Real peers for tests, shared with the daemon's integration tests through this module's
 * test-jar ({@code <type>test-jar</type>}): {@link io.sluice.protocol.testing.ExternalTool}
 * finds installed binaries, {@link io.sluice.protocol.testing.Dnsmasq} serves DNS records on
 * loopback, {@link io.sluice.protocol.testing.SmtpSink} runs postfix's smtp-sink and reads back
 * what it received, {@link io.sluice.protocol.testing.FreePorts} picks ports.
 *
 * <p>Promises: every server binds 127.0.0.1 on a port chosen at start, answers before
 * {@code start()} returns, and {@code close()} stops only the process it started and waits for it.
 * A missing tool skips the test locally and fails it when {@code CI=true}.
 */
package io.sluice.protocol.testing;
