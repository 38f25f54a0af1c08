/**
 * Who reaches which HTTP endpoint, by listener and by browser context (issue 18 item 2).
 *
 * <ul>
 *   <li>{@link io.sluice.daemon.http.access.PublicPaths}: the endpoints strangers must reach
 *       (one-click unsubscribe, open/click tracking) and nothing else.</li>
 *   <li>{@link io.sluice.daemon.http.access.PublicListener}: the second Netty listener
 *       ({@code sluice.http.public.*}), off unless configured.</li>
 *   <li>{@link io.sluice.daemon.http.access.ListenerFilter}: a request that arrived on the public
 *       listener reaches a public path or gets 404; on the operator listener every other request
 *       passes through {@link io.sluice.daemon.http.access.BrowserGuard}.</li>
 *   <li>{@link io.sluice.daemon.http.access.BrowserGuard}: {@code Host} must be a name of ours or
 *       an IP literal of loopback or of the listener (DNS rebinding), and a state-changing request
 *       with a browser {@code Origin} must come from the listener's own origin (CSRF); refusals are
 *       403 problem+json. Never applied to the public paths: the RFC 8058 POST comes from
 *       mailbox providers, without an Origin, through a proxy with a public Host.</li>
 * </ul>
 *
 * Promise: nothing that arrives on the public listener is routed to anything but a public path,
 * whatever its method, path spelling or headers.
 */
package io.sluice.daemon.http.access;
