/**
 * The SMTP listener (SubEthaSMTP, one thread per session). Promises: 250 after DATA only once
 * the message is durable; DATA ends only at CRLF.CRLF and bare CR/LF are normalised before
 * anything looks at the message; size, line length, recipient count, relay rights and loops
 * are checked with RFC 3463 enhanced codes in every refusal; a refusal never ends the session.
 */
package io.sluice.daemon.ingress.smtp;
