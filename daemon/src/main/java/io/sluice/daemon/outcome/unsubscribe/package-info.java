/**
 * One-click unsubscribe (RFC 8058) and its mailto variant (RFC 2369). The List-Unsubscribe and
 * List-Unsubscribe-Post fields are added per delivery at dispatch by
 * {@link io.sluice.daemon.outcome.tokens.DeliveryHeaders} (so DKIM signs them, as RFC 8058 §4 requires);
 * the tokens of the https variant (HMAC-signed, carrying tenant and address) are
 * {@link io.sluice.daemon.outcome.tokens.UnsubscribeTokens}; here lives the {@code /u/{token}} endpoint. The mailto variant ({@code unsub-<delivery token>@domain}) arrives
 * over SMTP and is handled by {@link io.sluice.daemon.outcome.feedback.FeedbackInbox}. Promise: only a
 * genuine token unsubscribes, only its own address, and a GET never does.
 */
package io.sluice.daemon.outcome.unsubscribe;
