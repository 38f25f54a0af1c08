/**
 * Where mail enters Sluice. Sub-packages hold one listener each ({@code smtp}); what they share
 * (relay rules) lives here. Every listener promises the same thing: a positive reply only after
 * the message is durable in the spool, and a precise reply code for everything it refuses.
 */
package io.sluice.daemon.ingress;
