/**
 * Engagement for the sender's own list hygiene (issue 20 item 3): each recipient's last human
 * open and last human click, per tenant ({@link io.sluice.daemon.engagement.history.EngagementStore}),
 * tied to the address through the tracked deliveries the event log reports
 * ({@code engagement.EngagementWiring} feeds them). Depends on no other part of {@code engagement}.
 *
 * <p>Promises: machine traffic (as {@code engagement.Fetcher} classes it) never moves a last open
 * or click; nothing here suppresses anyone (privacy proxies make opens unreliable: the sender
 * decides); bounded in entries, and nothing older than {@code sluice.engagement.retention} is
 * shown or kept past the hour; no IP address or user agent is stored; the store survives a
 * restart (one file under the spool directory).
 */
package io.sluice.daemon.engagement.history;
