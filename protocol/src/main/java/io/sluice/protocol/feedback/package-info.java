/**
 * Complaints: what mailbox providers send back when a recipient presses "this is spam" or asks to
 * unsubscribe, parsed into a {@link io.sluice.protocol.feedback.FeedbackReport}.
 *
 * <p>{@link io.sluice.protocol.feedback.FeedbackParser} reads RFC 5965 ARF
 * ({@code multipart/report; report-type=feedback-report} with a {@code message/feedback-report}
 * part), Microsoft JMRP-style reports ({@code multipart/mixed} with only the original message
 * attached, recognised by Hotmail's {@code X-HmXmrOriginalRecipient} or a complaint subject), Amazon
 * SES complaint notifications (JSON, see {@link io.sluice.protocol.feedback.SesNotification}) and
 * plain unsubscribe requests sent to a {@code List-Unsubscribe} mailto address (RFC 2369 §3.2,
 * e.g. Apple Mail's {@code X-Apple-Unsubscribe}).
 *
 * <p>Promises: parsing never throws; anything that is not a report gives
 * {@link java.util.Optional#empty()}. The complaining recipient is taken from
 * {@code Original-Rcpt-To} (RFC 5965 §3.2), then {@code Removal-Recipient} (RFC 6650 era opt-out
 * reports), then the embedded original's {@code X-HmXmrOriginalRecipient} or {@code To}.
 */
package io.sluice.protocol.feedback;
