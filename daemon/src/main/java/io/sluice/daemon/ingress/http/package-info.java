/**
 * The HTTP injection API, {@code POST /api/v1/inject} ({@code docs/api.md}). A request goes:
 * {@link io.sluice.daemon.ingress.http.ApiTokens} (who calls, for which tenant and pools) →
 * {@link io.sluice.daemon.ingress.http.RequestParser} (every field checked, faults named by path;
 * nothing is queued unless there are none) → {@link io.sluice.daemon.ingress.http.InjectionService}
 * (domain checks, Mustache + Jakarta Mail via {@link io.sluice.daemon.ingress.http.MessageComposer},
 * one batch to {@link io.sluice.daemon.ingress.Intake#acceptAll}) → 202. Errors are RFC 9457
 * problems. {@link io.sluice.daemon.ingress.http.IdempotencyStore} keeps answers to idempotency
 * keys across restarts.
 */
package io.sluice.daemon.ingress.http;
