package io.sluice.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published vectors: RFC 8463 Appendix A (both signatures) and RFC 6376 Appendix A.2. */
class RfcVectorsTest {

    static final Path VECTORS = Path.of(System.getProperty("sluice.repo", ".."), "testdata", "corpora", "dkim", "vectors")
            .toAbsolutePath().normalize();
    private static final Instant RFC8463_T = Instant.ofEpochSecond(1528637909L);
    private static final List<String> RFC8463_H =
            List.of("from", "to", "subject", "date", "message-id", "from", "subject", "date");

    @Test
    void rfc8463AppendixAEd25519SignatureIsReproducedByteForByte() throws Exception {
        DkimKey key = DkimKey.ed25519FromSeed(Base64.getDecoder().decode(read("rfc8463-ed25519.seed.b64").strip()));
        assertEquals(read("rfc8463-brisbane.football.example.com.txt").strip(), DnsRecord.of(key).txtValue());

        Map<String, String> ours = signA1(key, "brisbane");
        Map<String, String> rfc = rfcSignature(0);
        assertEquals(rfc.get("bh"), ours.get("bh"));
        assertEquals(rfc.get("b"), ours.get("b"));
    }

    @Test
    void rfc8463AppendixARsaSignatureIsReproducedByteForByte() throws Exception {
        DkimKey key = DkimKey.load(VECTORS.resolve("rfc8463-rsa1024.key.pem"));
        assertEquals(read("rfc8463-test.football.example.com.txt").strip(), DnsRecord.of(key).txtValue());

        Map<String, String> ours = signA1(key, "test");
        Map<String, String> rfc = rfcSignature(1);
        assertEquals(rfc.get("bh"), ours.get("bh"));
        assertEquals(rfc.get("b"), ours.get("b"));
    }

    @Test
    void rfc8463AppendixASignedMessageVerifiesWithTheTestVerifier() throws Exception {
        byte[] msg = Files.readAllBytes(VECTORS.resolve("rfc8463-A3-signed.eml"));
        assertEquals(TestVerifier.Result.PASS,
                TestVerifier.verify(msg, 0, read("rfc8463-brisbane.football.example.com.txt").strip()));
        assertEquals(TestVerifier.Result.PASS,
                TestVerifier.verify(msg, 1, read("rfc8463-test.football.example.com.txt").strip()));
    }

    @Test
    void rfc6376AppendixA2VerifiesWithErrataApplied() throws Exception {
        byte[] msg = Files.readAllBytes(VECTORS.resolve("rfc6376-A2-signed-errata-applied.eml"));
        assertEquals(TestVerifier.Result.PASS,
                TestVerifier.verify(msg, 0, read("rfc6376-brisbane.example.com.txt").strip()));
    }

    @Test
    void rfc6376AppendixA2AsPrintedFailsOnTheBodyHash() throws Exception {
        byte[] msg = Files.readAllBytes(VECTORS.resolve("rfc6376-A2-signed-as-printed-double-space.eml"));
        assertEquals(TestVerifier.Result.BODY_HASH_MISMATCH,
                TestVerifier.verify(msg, 0, read("rfc6376-brisbane.example.com.txt").strip()));
    }

    private static Map<String, String> signA1(DkimKey key, String selector) throws Exception {
        SigningIdentity id = new SigningIdentity("football.example.com", selector, key,
                CanonPair.RELAXED_RELAXED, RFC8463_H, null);
        byte[] signed = new DkimSigner(id, DkimSigner.Layout.RFC8463)
                .sign(Files.readAllBytes(VECTORS.resolve("rfc8463-A1-unsigned.eml")), RFC8463_T);
        String field = HeaderField.parse(signed).get(0).raw();
        return TestVerifier.tags(field.substring(field.indexOf(':') + 1));
    }

    private static Map<String, String> rfcSignature(int index) throws Exception {
        byte[] msg = Files.readAllBytes(VECTORS.resolve("rfc8463-A3-signed.eml"));
        String field = HeaderField.parse(msg).get(index).raw();
        return TestVerifier.tags(field.substring(field.indexOf(':') + 1));
    }

    static String read(String name) throws Exception {
        return Files.readString(VECTORS.resolve(name), StandardCharsets.US_ASCII);
    }
}
