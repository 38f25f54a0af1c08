package io.sluice.dkim;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal RFC 6376 §6 verifier for tests: checks one DKIM-Signature (by index) against a TXT
 * record given as a string. It reuses the library's canonicalization, so it proves vectors made
 * elsewhere (RFC 6376 A.2) agree with it; the independent verifiers are dkimpy and OpenDKIM.
 */
final class TestVerifier {

    enum Result { PASS, BODY_HASH_MISMATCH, SIGNATURE_MISMATCH }

    private static final Pattern B_TAG = Pattern.compile("(^|;)(\\s*b\\s*=)[^;]*");

    private TestVerifier() {
    }

    static Result verify(byte[] message, int signatureIndex, String txtRecord) throws Exception {
        int bodyAt = HeaderField.bodyOffset(message);
        List<HeaderField> fields = HeaderField.parse(Arrays.copyOf(message, bodyAt));
        HeaderField sig = fields.stream().filter(f -> f.name().equalsIgnoreCase("dkim-signature"))
                .skip(signatureIndex).findFirst().orElseThrow();
        String value = sig.raw().substring(sig.raw().indexOf(':') + 1);
        Map<String, String> tags = tags(value);
        CanonPair canon = CanonPair.parse(tags.getOrDefault("c", "simple/simple"));

        byte[] bh = BodyHasher.hash(Arrays.copyOfRange(message, bodyAt, message.length), canon.body());
        if (!Arrays.equals(bh, Base64.getDecoder().decode(tags.get("bh")))) {
            return Result.BODY_HASH_MISMATCH;
        }
        StringBuilder data = new StringBuilder();
        Map<String, Integer> next = new HashMap<>();
        for (String name : tags.get("h").split(":")) {
            String key = name.toLowerCase(Locale.ROOT);
            int i = next.getOrDefault(key, fields.size() - 1);
            while (i >= 0 && !fields.get(i).name().equalsIgnoreCase(key)) {
                i--;
            }
            next.put(key, i - 1);
            if (i >= 0) {
                data.append(canon.header().canonicalizeHeader(fields.get(i).raw()));
            }
        }
        String prefix = sig.raw().substring(0, sig.raw().indexOf(':') + 1);
        Matcher m = B_TAG.matcher(value);
        String emptied = m.replaceFirst("$1$2");
        String own = canon.header().canonicalizeHeader(prefix + emptied);
        data.append(own, 0, own.endsWith("\r\n") ? own.length() - 2 : own.length());
        byte[] bytes = data.toString().getBytes(StandardCharsets.ISO_8859_1);

        DnsRecord rec = DnsRecord.parse(txtRecord);
        byte[] p = Base64.getDecoder().decode(rec.publicKeyBase64());
        Signature v;
        if (rec.algorithm() == Algorithm.ED25519_SHA256) {
            PublicKey pk = KeyFactory.getInstance("Ed25519", DkimKey.BC)
                    .generatePublic(new X509EncodedKeySpec(DkimKey.concat(DkimKey.ED25519_SPKI_PREFIX, p)));
            v = Signature.getInstance("Ed25519", DkimKey.BC);
            v.initVerify(pk);
            v.update(MessageDigest.getInstance("SHA-256").digest(bytes));
        } else {
            v = Signature.getInstance("SHA256withRSA");
            v.initVerify(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(p)));
            v.update(bytes);
        }
        return v.verify(Base64.getDecoder().decode(tags.get("b"))) ? Result.PASS : Result.SIGNATURE_MISMATCH;
    }

    /** Tag=value list with all whitespace removed from values (RFC 6376 §3.2). */
    static Map<String, String> tags(String value) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String t : value.split(";")) {
            int eq = t.indexOf('=');
            if (eq > 0) {
                tags.put(t.substring(0, eq).strip(), t.substring(eq + 1).replaceAll("\\s+", ""));
            }
        }
        return tags;
    }
}
