/**
 * The compliance gate for marketing mail (issue 17 item 2): before marketing mail (a campaign or
 * {@code class: marketing}; never transactional) is queued, {@link
 * io.sluice.daemon.ingress.compliance.ComplianceGate} checks the bulk-sender rules ({@link
 * io.sluice.daemon.ingress.compliance.GateRule}: one-click unsubscribe, its DKIM coverage, the
 * tenant's own From domain aligned with a signing domain, Date, Message-ID) and, per tenant
 * ({@link io.sluice.daemon.ingress.compliance.GateMode}), refuses, repairs or reports; passing mail
 * gets Sluice's Feedback-ID. Both listeners call it; it opens nothing and keeps no state.
 *
 * <p>Promises: transactional mail is never touched; a refusal names every rule at fault; nothing
 * is added to a message that is then refused; the organisational domain comes from the Public
 * Suffix List (Guava), never from a hand-written list.
 */
package io.sluice.daemon.ingress.compliance;
