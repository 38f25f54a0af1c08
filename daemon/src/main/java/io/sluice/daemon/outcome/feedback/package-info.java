/**
 * The feedback loop: what receivers tell us about recipients turns into suppressions.
 * {@link io.sluice.daemon.outcome.feedback.HygienePolicy} decides (a conclusive hard bounce at once, N
 * bounces about the recipient within D otherwise, complaint, unsubscribe; per tenant) over counts kept by
 * {@link io.sluice.daemon.outcome.feedback.SoftBounceCounters} (persisted, shared in cluster mode), fed by synchronous replies (from
 * {@link io.sluice.daemon.egress.DeliveryOutcomes}) and by {@link
 * io.sluice.daemon.outcome.feedback.FeedbackInbox}, which takes asynchronous bounces, ARF complaints and
 * mailto unsubscribes arriving at the SMTP listener for our own addresses. Promises: only
 * failures about the recipient suppress; nothing that arrives here is queued for delivery; a
 * forged or malformed report suppresses nobody and never fails the session.
 */
package io.sluice.daemon.outcome.feedback;
