/**
 * The injectors: a Netty SMTP client (EHLO, optional STARTTLS and AUTH PLAIN, MAIL/RCPT/DATA
 * pipelined when offered) and an HTTP client for {@code POST /api/v1/inject}, both pulling
 * message numbers and due times from one {@link io.sluice.bench.inject.InjectPlan} (count or
 * duration, fixed rate or as fast as possible). Every message carries its bench id and send
 * time; {@link io.sluice.bench.inject.InjectStats} counts outcomes and reply latency.
 */
package io.sluice.bench.inject;
