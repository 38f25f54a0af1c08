/**
 * What happens after a delivery attempt, and what receivers say later: the feedback loop
 * ({@code feedback}: bounces, complaints, the hygiene policy), the lists it writes
 * ({@code suppression}), one-click unsubscribe ({@code unsubscribe}) and the signed per-delivery
 * tokens that let a returning bounce, complaint or click find its delivery ({@code tokens}).
 * Nothing here sends mail.
 */
package io.sluice.daemon.outcome;
