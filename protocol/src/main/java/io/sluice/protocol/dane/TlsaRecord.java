package io.sluice.protocol.dane;

import java.util.Arrays;
import java.util.HexFormat;
import org.xbill.DNS.TLSARecord;

/**
 * One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and the
 * association data.
 *
 * <p>Only DANE-TA(2) and DANE-EE(3) are usable for SMTP (RFC 7672 §3.1.3); PKIX-TA(0) and
 * PKIX-EE(1) are not, and neither are unknown selectors or matching types, or digests of the
 * wrong length.
 */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;
    public static final int SELECTOR_CERT = 0;
    public static final int SELECTOR_SPKI = 1;
    public static final int MATCH_FULL = 0;
    public static final int MATCH_SHA256 = 1;
    public static final int MATCH_SHA512 = 2;

    public TlsaRecord {
        if (usage < 0 || usage > 255 || selector < 0 || selector > 255 || matchingType < 0 || matchingType > 255) {
            throw new IllegalArgumentException("TLSA fields are single octets");
        }
        data = data.clone();
    }

    public static TlsaRecord of(TLSARecord record) {
        return new TlsaRecord(record.getCertificateUsage(), record.getSelector(), record.getMatchingType(),
                record.getCertificateAssociationData());
    }

    /** Parses the presentation form {@code "3 1 1 <hex>"}. */
    public static TlsaRecord parse(String text) {
        String[] parts = text.strip().split("\\s+", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("TLSA needs usage, selector, matching type and data: " + text);
        }
        return new TlsaRecord(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                HexFormat.of().parseHex(parts[3].replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT)));
    }

    /** Whether an SMTP client may authenticate a server with this record (RFC 7672 §3.1). */
    public boolean usable() {
        if (usage != DANE_TA && usage != DANE_EE) {
            return false;
        }
        if (selector != SELECTOR_CERT && selector != SELECTOR_SPKI) {
            return false;
        }
        return switch (matchingType) {
            case MATCH_FULL -> data.length > 0;
            case MATCH_SHA256 -> data.length == 32;
            case MATCH_SHA512 -> data.length == 64;
            default -> false;
        };
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    boolean sameData(byte[] other) {
        return java.security.MessageDigest.isEqual(data, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord t && t.usage == usage && t.selector == selector
                && t.matchingType == matchingType && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return ((usage * 31 + selector) * 31 + matchingType) * 31 + Arrays.hashCode(data);
    }

    /** The presentation form, as in a zone file. */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }
}
