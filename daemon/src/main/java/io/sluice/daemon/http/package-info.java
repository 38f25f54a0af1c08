/**
 * What the daemon's HTTP endpoints share: the RFC 9457 problem detail every refusal is sent as
 * ({@code application/problem+json}), for the injection API and the admin API alike
 * (one-click unsubscribe answers people, in HTML). Values only; no endpoint lives here.
 */
package io.sluice.daemon.http;
