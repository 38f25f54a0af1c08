package io.sluice.dkim;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The public-key TXT record a domain publishes at {@code selector._domainkey.domain}
 * (RFC 6376 §3.6.1): {@code v=DKIM1; k=rsa|ed25519; p=base64}.
 *
 * @param publicKeyBase64 the {@code p=} value: base64 SPKI for RSA, base64 raw 32 bytes for Ed25519
 */
public record DnsRecord(Algorithm algorithm, String publicKeyBase64) {

    /** A single TXT character-string holds at most 255 bytes (RFC 1035 §3.3.14). */
    public static final int MAX_TXT_STRING = 255;

    public DnsRecord {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(publicKeyBase64, "publicKeyBase64");
    }

    public static DnsRecord of(DkimKey k) {
        return new DnsRecord(k.algorithm(), Base64.getEncoder().encodeToString(k.publicKeyData()));
    }

    /**
     * Parses a published record (the TXT strings joined). Missing {@code k=} means rsa
     * (§3.6.1); an empty {@code p=} (revoked key) or an unknown {@code k=} is an
     * {@link IllegalArgumentException}.
     */
    public static DnsRecord parse(String txt) {
        String k = "rsa";
        String p = null;
        for (String tag : txt.split(";")) {
            int eq = tag.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = tag.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = tag.substring(eq + 1).replaceAll("\\s+", "");
            switch (name) {
                case "v" -> {
                    if (!value.equals("DKIM1")) {
                        throw new IllegalArgumentException("v=" + value + " is not DKIM1");
                    }
                }
                case "k" -> k = value.toLowerCase(Locale.ROOT);
                case "p" -> p = value;
                default -> { }
            }
        }
        if (p == null) {
            throw new IllegalArgumentException("no p= tag in the record");
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("p= is empty: the key is revoked");
        }
        Algorithm a = switch (k) {
            case "rsa" -> Algorithm.RSA_SHA256;
            case "ed25519" -> Algorithm.ED25519_SHA256;
            default -> throw new IllegalArgumentException("unknown key type k=" + k);
        };
        return new DnsRecord(a, p);
    }

    /** The record as one string, e.g. {@code v=DKIM1; k=ed25519; p=11qY...}. */
    public String txtValue() {
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + publicKeyBase64;
    }

    /** {@link #txtValue()} cut into strings of at most 255 bytes; resolvers join them back (§3.6.2.2). */
    public List<String> txtStrings() {
        String v = txtValue(); // ASCII: chars are bytes
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.length(); i += MAX_TXT_STRING) {
            out.add(v.substring(i, Math.min(v.length(), i + MAX_TXT_STRING)));
        }
        return out;
    }

    /** The DNS name the record lives at. */
    public static String recordName(String selector, String domain) {
        return selector + "._domainkey." + (domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain);
    }

    /** A zone-file line: {@code sel._domainkey.example.com. IN TXT ( "..." "..." )}. */
    public String zoneLine(String selector, String domain) {
        List<String> parts = txtStrings();
        StringBuilder sb = new StringBuilder(recordName(selector, domain)).append(". IN TXT ");
        if (parts.size() == 1) {
            return sb.append('"').append(parts.get(0)).append('"').toString();
        }
        sb.append("(");
        for (String s : parts) {
            sb.append("\n    \"").append(s).append('"');
        }
        return sb.append(" )").toString();
    }

    /**
     * Whether this record publishes the public half of {@code key}. RSA keys are compared by
     * modulus and exponent, so a record holding a bare PKCS#1 RSAPublicKey (some tools publish
     * that instead of SPKI) still matches.
     */
    public boolean matches(DkimKey key) {
        if (key.algorithm() != algorithm) {
            return false;
        }
        byte[] p;
        try {
            p = Base64.getDecoder().decode(publicKeyBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (algorithm == Algorithm.ED25519_SHA256) {
            return Arrays.equals(p, key.publicKeyData());
        }
        RSAPublicKey ours = (RSAPublicKey) key.publicKey();
        BigInteger[] theirs = rsaNumbers(p);
        return theirs != null && theirs[0].equals(ours.getModulus()) && theirs[1].equals(ours.getPublicExponent());
    }

    private static BigInteger[] rsaNumbers(byte[] der) {
        try {
            RSAPublicKey k = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return new BigInteger[] {k.getModulus(), k.getPublicExponent()};
        } catch (Exception notSpki) {
            try {
                var k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
                return new BigInteger[] {k.getModulus(), k.getPublicExponent()};
            } catch (Exception notPkcs1) {
                return null;
            }
        }
    }

    @Override
    public String toString() {
        return txtValue();
    }
}
