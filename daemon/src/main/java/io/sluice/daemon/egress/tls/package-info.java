/**
 * Outbound transport security (issue 16): which {@link io.sluice.daemon.egress.tls.TlsPolicy} a
 * delivery is under, decided before connecting, and what came of it.
 *
 * <p>Order ({@link io.sluice.daemon.egress.tls.TlsPolicyResolver}, per MX host of the recipient
 * domain): DANE (from the {@link io.sluice.daemon.egress.tls.DaneSource}) over MTA-STS
 * ({@code egress.tls.sts}) over the provider rule's {@code tls: required}/{@code none} over
 * opportunistic TLS. Under a policy the client negotiates TLS 1.2 or later, sends the MX name in
 * SNI and checks the certificate (Web PKI: chain to {@link io.sluice.daemon.egress.tls.TrustAnchors},
 * name per RFC 8461 §4.1; DANE: the source's trust manager); a failure there moves to the next MX
 * and then defers (451 4.7.5 naming the RFC 8460 result type), never goes in clear and never
 * bounces on its own. MTA-STS {@code testing} checks, reports and delivers as if there were no
 * policy. The broken-TLS memory belongs to opportunistic TLS only.
 *
 * <p>Seams for the packages built beside this one:
 * <ul>
 * <li>DANE ({@code egress.tls.dane}): declare a bean implementing
 *     {@link io.sluice.daemon.egress.tls.DaneSource}:
 *     {@code CompletableFuture<Optional<TlsPolicy>> policy(String domain, String mxHost)}. Return a
 *     policy of kind {@code DANE} whose authentication is a
 *     {@link io.sluice.protocol.client.PeerAuthentication.Delegated} trust manager built from the
 *     usable TLSA records ({@code Any} when TLSA exists but none is usable: TLS stays mandatory),
 *     and put the TLSA records in {@code policyStrings}. Empty means "no DANE" (insecure). The
 *     default bean ({@code @Secondary}) is {@link io.sluice.daemon.egress.tls.DaneSource#ABSENT}.</li>
 * <li>TLS-RPT ({@code egress.tls.report}): declare a bean implementing
 *     {@link io.sluice.daemon.egress.tls.TlsReporter}; it receives one
 *     {@link io.sluice.daemon.egress.tls.TlsResult} (policy domain, policy type sts/tlsa,
 *     policy strings, RFC 8460 result type or success, receiving MX, detail) per session under a
 *     published policy and per failed MTA-STS fetch (sts-policy-fetch-error, sts-policy-invalid,
 *     sts-webpki-invalid). It is called on delivery and lookup threads: count in memory, quickly,
 *     and never throw. The default ({@code @Secondary}) is {@link io.sluice.daemon.egress.tls.TlsReporter#NONE}.
 *     Sessions under no published policy ({@code no-policy-found}) are not reported: their
 *     connections are shared by every domain on the site, so no one policy domain owns them.</li>
 * </ul>
 *
 * <p>Promises: a domain with a published policy gets egress paths of its own (key
 * {@code SOURCE>SITE#DOMAIN}), so its TLS results are its own and its deferrals hold back no other
 * domain; every delivery event names its {@code tls_policy} and {@code tls} outcome.
 */
package io.sluice.daemon.egress.tls;
