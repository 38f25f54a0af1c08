/**
 * The two places a delivery goes, as values: its {@link io.sluice.daemon.egress.route.Destination}
 * (what it is routed by: the recipient's domain, or the smarthost) and the
 * {@link io.sluice.daemon.egress.route.Site} that destination resolves to (a set of MX hosts, shared
 * by every domain hosted alike). Values only, so the shaping rules and holds may name them too.
 */
package io.sluice.daemon.egress.route;
