/**
 * The egress engine, in parts with one job each; none reads a file or starts a thread when made.
 * {@link io.sluice.daemon.egress.Dispatcher} is the facade the daemon uses (submit, reload,
 * close), built and started by {@link io.sluice.daemon.egress.EgressWiring}. The parts:
 * {@code SchedulerLoop} (the scheduler thread, its {@code Mailbox}, the tick, the published
 * {@code EgressSnapshot}), {@code Placement} (scheduled queue to egress path under holds, warm-up
 * and room), {@code RouteCache}, {@code EgressPaths} (paths and {@code ProviderLimits}),
 * {@code Sessions} (connections, TLS policy and fallback memory, pacing, batching),
 * {@code SendAssembly} (VERP, header fields, DKIM at send time), {@code AttemptOutcomes}
 * (outcomes, reply-rule actions, rest and defer) and {@code OperatorControl} (holds, resume,
 * reload). {@link io.sluice.daemon.egress.EgressView} is the operator-facing side. The engine
 * reaches the network only through {@code Transport} ({@code NettyTransport} in production) and
 * DNS only through {@code RouteLookup} ({@link io.sluice.daemon.egress.Router}), so unit tests
 * drive it with a test clock and a fake SMTP client.
 *
 * <p>Promises: an outcome is journaled before its event is published and before anything is
 * retried; a destination that does not answer is rested, not hammered; a delivery leaves the
 * spool only with a final outcome (delivered, bounced, expired); operator reads never wait for
 * the scheduler thread except "why" and reload, which callers run on a blocking executor.
 */
package io.sluice.daemon.egress;
