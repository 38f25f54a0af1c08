/**
 * The feedback loop's protocol half: what a failed delivery means.
 *
 * <p>{@link io.sluice.protocol.bounce.BounceClassifier} maps an SMTP reply (code, RFC 3463 enhanced
 * status, text) to a {@link io.sluice.protocol.bounce.Classification}: a
 * {@link io.sluice.protocol.bounce.BounceCategory} (PowerMTA/KumoMTA taxonomy, which drives retry
 * and suppression), the Sisimai reason name, whether it is hard, and the status (inferred when the
 * reply had none). The rules are data: {@code bounce-rules.tsv} in this package, format in
 * {@link io.sluice.protocol.bounce.BounceRules}; a user file is tried first so operators can
 * override. Classifying a reply takes about a microsecond (JMH:
 * {@code io.sluice.protocol.bounce.bench.ClassifierBenchmark}).
 *
 * <p>{@link io.sluice.protocol.bounce.BounceParser} reads a mail that arrived at the bounce
 * address: RFC 3464 DSNs, Amazon SES notifications, RFC 5965 complaints (via
 * {@code io.sluice.protocol.feedback}) and the prose bounces of MTAs that send no DSN, and returns a
 * {@link io.sluice.protocol.bounce.BounceReport}: per-recipient verdicts plus the original's
 * headers. MIME is read with {@code io.sluice.protocol.mime} (why not Angus Mail: see there).
 *
 * <p>Mapping to Sisimai: every {@link io.sluice.protocol.bounce.BounceReason} names one Sisimai
 * reason ({@code USER_UNKNOWN → userunknown}, {@code BLOCK_LISTED} and {@code BLOCKED → blocked},
 * {@code NO_ANSWER}/{@code ROUTING}/{@code MAIL_LOOP → networkerror}, …; the enum is the table).
 * The hard categories are exactly Sisimai's hard reasons: {@code userunknown} (bad-mailbox),
 * {@code hostunknown} and {@code notaccept} (bad-domain), {@code hasmoved} (inactive-mailbox).
 * Sisimai's {@code suspend} is soft, so it has its own soft category, {@code suspended-mailbox}.
 *
 * <p>The decision order is Sisimai's (see {@link io.sluice.protocol.bounce.BounceClassifier} and
 * {@code docs/bounces.md}); the SMTP command the reply answered
 * ({@link io.sluice.protocol.bounce.SmtpCommand}) is one of its inputs: a refusal at MAIL FROM is
 * about the sender, never the recipient; a "user unknown" after DATA is a filter (the address
 * passed RCPT TO). Every verdict carries its {@link io.sluice.protocol.bounce.Evidence}: only a
 * status and words that agree, or a provider's own rule, are conclusive enough to suppress an
 * address on one bounce.
 *
 * <p>Promises: only failures about the recipient are hard ({@code bad-mailbox}, {@code bad-domain},
 * {@code inactive-mailbox}; as in Sisimai, a not-accepting domain only when permanent); auto-replies (RFC 3834), complaints and
 * anything without bounce evidence are reported as what they are, never as bounces; parsing never
 * throws, whatever the bytes.
 */
package io.sluice.protocol.bounce;
