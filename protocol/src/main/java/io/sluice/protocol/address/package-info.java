/**
 * Mailbox syntax (RFC 5321 §4.1.2, §4.5.3.1; RFC 6531 for internationalised addresses).
 *
 * <p>{@link io.sluice.protocol.address.MailAddress#parse(String, boolean)} accepts exactly the
 * Mailbox production and rejects everything else with an
 * {@link io.sluice.protocol.address.AddressSyntaxException} whose message names the problem, so
 * ingress can answer 553/501 with a precise text. Lengths are counted in UTF-8 octets, as the RFCs
 * count them. The domain is lower-cased because routing, throttling and suppression key on it;
 * the local part keeps its case (RFC 5321 §2.4: only the receiving host may interpret it).
 */
package io.sluice.protocol.address;
