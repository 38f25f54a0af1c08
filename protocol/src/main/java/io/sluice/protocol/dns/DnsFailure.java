package io.sluice.protocol.dns;

/**
 * A lookup that got no definite answer: SERVFAIL, REFUSED, a timeout or an I/O error. Callers
 * treat it as "unknown" (SPF's temperror), never as "no such record".
 */
public final class DnsFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public DnsFailure(String message) {
        super(message);
    }

    public DnsFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
