/**
 * Where mail enters Sluice. Sub-packages hold the listeners ({@code smtp}: relay and
 * submission; {@code http}: the injection API); what they share lives here: relay rules,
 * {@code DomainCheck} (null MX / NXDOMAIN at ingress), {@code SluiceHeaders} (labels taken out
 * of the message), {@code TenantRates} and {@code TokenBucket} (limits), and {@code Intake}, the
 * one door into the spool. Every listener promises the same thing: a positive reply only after
 * the message is durable in the spool, and a precise reply code for everything it refuses.
 */
package io.sluice.daemon.ingress;
