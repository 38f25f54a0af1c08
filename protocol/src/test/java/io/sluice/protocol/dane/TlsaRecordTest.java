package io.sluice.protocol.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsaRecordTest {
    private static final String SHA256 = "00".repeat(32);
    private static final String SHA512 = "00".repeat(64);

    @Test
    void daneTaAndDaneEeWithKnownSelectorsAndMatchingTypesAreUsable() {
        assertTrue(TlsaRecord.parse("3 1 1 " + SHA256).usable());
        assertTrue(TlsaRecord.parse("2 0 2 " + SHA512).usable());
        assertTrue(TlsaRecord.parse("3 0 0 3082").usable());
    }

    @Test
    void pkixUsagesUnknownParametersAndWrongDigestLengthsAreNot() {
        assertFalse(TlsaRecord.parse("1 1 1 " + SHA256).usable(), "PKIX-EE");
        assertFalse(TlsaRecord.parse("0 0 1 " + SHA256).usable(), "PKIX-TA");
        assertFalse(TlsaRecord.parse("3 2 1 " + SHA256).usable(), "selector 2");
        assertFalse(TlsaRecord.parse("3 1 3 " + SHA256).usable(), "matching type 3");
        assertFalse(TlsaRecord.parse("3 1 1 " + SHA512).usable(), "SHA-512 length under SHA-256");
        assertFalse(TlsaRecord.parse("3 1 2 " + SHA256).usable(), "SHA-256 length under SHA-512");
    }

    @Test
    void presentationFormRoundTrips() {
        assertEquals("3 1 1 " + SHA256, TlsaRecord.parse("3 1 1 " + SHA256.toUpperCase()).toString());
    }

    @Test
    void aTrustManagerTakesOnlyUsableRecords() {
        assertThrows(IllegalArgumentException.class, () -> new TlsaTrustManager(
                List.of(TlsaRecord.parse("1 1 1 " + SHA256)), List.of("mx.example"), Clock.systemUTC()));
    }

    @Test
    void wildcardsMatchExactlyOneLeftmostLabel() {
        assertTrue(ReferenceNames.matches("*.example.com", "mx.example.com"));
        assertFalse(ReferenceNames.matches("*.example.com", "example.com"));
        assertFalse(ReferenceNames.matches("*.example.com", "a.mx.example.com"));
        assertFalse(ReferenceNames.matches("*.com", "example.com"), "no wildcard over a single label");
        assertFalse(ReferenceNames.matches("mx*.example.com", "mx1.example.com"), "partial wildcards are not names");
        assertTrue(ReferenceNames.matches("mx.example.com", "mx.example.com"));
    }
}
