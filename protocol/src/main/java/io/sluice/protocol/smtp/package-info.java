/**
 * SMTP values shared by every room that speaks or judges SMTP: the reply model.
 *
 * <p>{@link io.sluice.protocol.smtp.SmtpReply} is an immutable value: a three-digit code, an
 * optional enhanced status code (RFC 3463, announced by ENHANCEDSTATUSCODES, RFC 2034) and the
 * text. Multiline replies (RFC 5321 §4.2.1) are folded into one text so that classifiers match on
 * one string. Parsing never trusts the peer: malformed input raises
 * {@link java.lang.IllegalArgumentException} with a message saying what was wrong.
 */
package io.sluice.protocol.smtp;
