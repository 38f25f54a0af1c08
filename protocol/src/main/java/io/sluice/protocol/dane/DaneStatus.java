package io.sluice.protocol.dane;

import java.util.List;

/**
 * What DANE says about one MX host of one domain (RFC 7672 §2), and so what the client must do.
 */
public sealed interface DaneStatus {

    /** A line an operator can read: why this status. */
    String reason();

    /**
     * No DANE: some record on the way (MX RRset, address records, TLSA) is not DNSSEC-signed, or
     * the TLSA RRset is securely absent. The next policy applies (MTA-STS, then opportunistic).
     */
    record Insecure(String reason) implements DaneStatus {
    }

    /**
     * Usable TLSA records: TLS is required and the server's chain must match one of them
     * ({@link TlsaTrustManager}). {@code referenceNames} are the names a DANE-TA leaf must carry
     * (RFC 7672 §3.2.3): the TLSA base domain, then the MX host name if it differs.
     */
    record Usable(List<TlsaRecord> records, List<String> referenceNames, String reason) implements DaneStatus {
        public Usable {
            records = List.copyOf(records);
            referenceNames = List.copyOf(referenceNames);
            if (records.isEmpty() || records.stream().anyMatch(r -> !r.usable())) {
                throw new IllegalArgumentException("Usable takes only usable TLSA records");
            }
        }
    }

    /**
     * TLSA records were published but none is usable (RFC 7672 §2.2: e.g. only PKIX-TA/PKIX-EE).
     * TLS is still mandatory, never clear text; the certificate is not authenticated.
     */
    record UnusableOnly(List<TlsaRecord> records, String reason) implements DaneStatus {
        public UnusableOnly {
            records = List.copyOf(records);
        }
    }

    /**
     * An answer on the way failed validation (a bad signature, a missing proof) or could not be
     * had: this MX host must not be used; its domain defers (RFC 7672 §2.1.1).
     */
    record Bogus(String reason) implements DaneStatus {
    }

    /**
     * The trust anchor zone itself does not validate (a stripping or broken upstream resolver,
     * or a wrong anchor file). Every domain would look bogus, so the caller raises an alarm and
     * carries on without DANE instead of deferring the whole queue.
     */
    record ValidationBroken(String reason) implements DaneStatus {
    }
}
