package io.sluice.protocol.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * The few record lookups that sender checks need (SPF, DKIM and DMARC records, reverse DNS, DNS
 * block lists), one question at a time.
 *
 * <p>An empty list means the name does not exist (NXDOMAIN) or has no record of the type
 * (NODATA): a definite "no". Anything that is not a definite answer (SERVFAIL, REFUSED, a
 * timeout, an I/O error) is a {@link DnsFailure}, so callers can keep "unknown" apart from "no".
 * It is an interface because tests give evaluators a fake zone without a server; the daemon
 * and the cross-checking tests use {@link DnsjavaRecordLookup}.
 */
public interface RecordLookup {

    /** Each TXT record's character-strings joined without separator (RFC 7208 §3.3). */
    List<String> txt(String name) throws DnsFailure;

    /** IPv4 addresses. */
    List<InetAddress> a(String name) throws DnsFailure;

    /** IPv6 addresses. */
    List<InetAddress> aaaa(String name) throws DnsFailure;

    /** Exchange host names, lowest preference first, without a trailing dot; a null MX's "." is left out. */
    List<String> mx(String name) throws DnsFailure;

    /** Names in the PTR records of the address's reverse name, without a trailing dot. */
    List<String> ptr(InetAddress address) throws DnsFailure;
}
