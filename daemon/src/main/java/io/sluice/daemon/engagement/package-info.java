/**
 * Engagement tracking (issue 20 item 1), opt-in and off by default, per tenant or campaign: the
 * open pixel and click redirects written into a message's HTML parts for one recipient at send
 * time ({@link io.sluice.daemon.engagement.TrackingRewriter}), the signed tokens they carry
 * ({@link io.sluice.daemon.engagement.TrackingTokens}), the endpoints that receive them
 * ({@link io.sluice.daemon.engagement.TrackingController}, self-contained so it can move to the
 * public listener) and how a fetch is classed ({@link io.sluice.daemon.engagement.Fetcher}, with
 * Apple's published egress ranges in {@link io.sluice.daemon.engagement.AppleEgressRanges}, matched
 * against the client address {@link io.sluice.daemon.engagement.TrustedProxies} gives, and the
 * "several links at once" rule in {@link io.sluice.daemon.engagement.ClickBursts}, whose verdict a
 * click's event waits for in {@link io.sluice.daemon.engagement.ClickHold}).
 *
 * <p>Promises: the spool keeps one shared body; rewriting happens per delivery before DKIM signs,
 * so the signature covers the rewritten message. Text parts only when the tenant or campaign asked
 * ({@code tracking.text-links}); {@code mailto:} links and the unsubscribe link never; a message
 * the customer already DKIM-signed is sent as it is. A token is HMAC-signed with {@code sluice.bounce.secret}, carries the URL it redirects
 * to (no open redirect: a tampered URL fails the tag) and no address; a forged or tampered token
 * gets 404 and makes no event. No IP address is stored: the client's is only compared with
 * Apple's ranges. Memory held for the link-scanner rule is bounded ({@code ClickHold.CAPACITY}).
 */
package io.sluice.daemon.engagement;
