package io.sluice.protocol.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** The bundled root anchors are the keys whose DS digests IANA publishes. */
class RootAnchorsTest {
    /* IANA root-anchors.xml (RFC 9718): KeyTag → SHA-256 digest. */
    private static final Map<Integer, String> IANA_DIGESTS = Map.of(
            20326, "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
            38696, "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16");

    @Test
    void bundledKeysAreKsk2017AndKsk2024() throws Exception {
        String text = ValidatingLookups.anchors(null);
        Map<Integer, String> digests = new HashMap<>();
        try (Master master = new Master(new java.io.ByteArrayInputStream(text.getBytes()), Name.root, 0)) {
            Record r;
            while ((r = master.nextRecord()) != null) {
                DNSKEYRecord key = (DNSKEYRecord) r;
                assertEquals(257, key.getFlags(), "a KSK (SEP bit)");
                DSRecord ds = new DSRecord(Name.root, key.getDClass(), 0, DSRecord.SHA256_DIGEST_ID, key);
                digests.put(key.getFootprint(), HexFormat.of().withUpperCase().formatHex(ds.getDigest()));
            }
        }
        assertEquals(IANA_DIGESTS, digests);
    }

    @Test
    void bundledAnchorsLoadIntoTheValidator() {
        ValidatingLookups lookups = new ValidatingLookups(java.util.List.of(new java.net.InetSocketAddress("127.0.0.1", 53)),
                ValidatingLookups.anchors(null), java.time.Duration.ofSeconds(1), java.time.Clock.systemUTC(), Runnable::run);
        assertEquals(java.util.List.of(Name.root), lookups.anchorZones());
    }
}
