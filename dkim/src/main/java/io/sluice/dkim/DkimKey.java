package io.sluice.dkim;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A DKIM private key with its public half. RSA keys are held by the JDK provider; Ed25519 keys by
 * Bouncy Castle (see {@link #BC}), so that signing always finds a key its provider understands.
 */
public record DkimKey(Algorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {

    /** RFC 8301 §3.2: verifiers must reject RSA keys below 1024 bits; we never sign with one. */
    public static final int MIN_RSA_BITS = 1024;
    /** RFC 6376 §3.3.3 names 4096 as the largest size verifiers must handle. */
    public static final int MAX_RSA_BITS = 4096;

    /**
     * One private provider instance, never registered globally: the daemon's other libraries keep
     * the JDK's provider order. Ed25519 signs through it (BC's Ed25519 is faster than SunEC's on 17).
     */
    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    public DkimKey {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        if (algorithm == Algorithm.RSA_SHA256) {
            if (!(publicKey instanceof RSAPublicKey rsa)) {
                throw new IllegalArgumentException("rsa-sha256 needs an RSA key, got " + publicKey.getAlgorithm());
            }
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new IllegalArgumentException("RSA key of " + bits + " bits; DKIM needs "
                        + MIN_RSA_BITS + " to " + MAX_RSA_BITS);
            }
        } else if (!publicKey.getAlgorithm().toLowerCase(java.util.Locale.ROOT).startsWith("ed")) {
            throw new IllegalArgumentException("ed25519-sha256 needs an Ed25519 key, got " + publicKey.getAlgorithm());
        }
    }

    /** RSA modulus size in bits, or 256 for Ed25519. */
    public int bits() {
        return publicKey instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 256;
    }

    /**
     * The bytes DNS publishes in {@code p=}: SubjectPublicKeyInfo DER for RSA (RFC 6376 §3.6.1),
     * the raw 32-byte key for Ed25519 (RFC 8463 §4, not the 44-byte SPKI).
     */
    public byte[] publicKeyData() {
        byte[] spki = publicKey.getEncoded();
        return algorithm == Algorithm.RSA_SHA256
                ? spki
                : SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getBytes();
    }

    /**
     * Loads a PEM private key: PKCS#1 RSA ({@code RSA PRIVATE KEY}), PKCS#8 RSA or PKCS#8 Ed25519
     * ({@code PRIVATE KEY}). Any failure names the file and says what is wrong with it.
     */
    public static DkimKey load(Path pem) throws DkimKeyException {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new DkimKeyException("DKIM key " + pem + ": file not found");
        } catch (AccessDeniedException e) {
            throw new DkimKeyException("DKIM key " + pem + ": cannot read (permission denied)");
        } catch (IOException e) {
            throw new DkimKeyException("DKIM key " + pem + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            return fromPem(text);
        } catch (IllegalArgumentException e) {
            throw new DkimKeyException("DKIM key " + pem + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #load}, from PEM text; problems are {@link IllegalArgumentException}s. */
    public static DkimKey fromPem(String pemText) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pemText))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable PEM private key (" + e.getMessage() + ")", e);
        }
        if (parsed == null) {
            throw new IllegalArgumentException("no PEM private key found (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
        }
        if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IllegalArgumentException("encrypted private keys are not supported; store it unencrypted with mode 0600");
        }
        PrivateKeyInfo info;
        if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (parsed instanceof PrivateKeyInfo pki) {
            info = pki;
        } else {
            throw new IllegalArgumentException("PEM holds a " + parsed.getClass().getSimpleName()
                    + ", not a private key (expected PKCS#1 RSA or PKCS#8 RSA/Ed25519)");
        }
        try {
            PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(info);
            return fromPrivateKey(key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported private key (" + e.getMessage() + ")", e);
        }
    }

    /** Wraps an RSA or Ed25519 private key, deriving the public half. */
    public static DkimKey fromPrivateKey(PrivateKey key) throws GeneralSecurityException {
        String alg = key.getAlgorithm();
        if (key instanceof RSAPrivateCrtKey rsa) {
            PublicKey pub = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new IllegalArgumentException("RSA key of " + bits + " bits is too short (DKIM needs at least "
                        + MIN_RSA_BITS + ", RFC 8301 §3.2; use 2048)");
            }
            if (bits > MAX_RSA_BITS) {
                throw new IllegalArgumentException("RSA key of " + bits + " bits is too long (at most " + MAX_RSA_BITS + ")");
            }
            return new DkimKey(Algorithm.RSA_SHA256, key, pub);
        }
        if ("RSA".equalsIgnoreCase(alg)) {
            throw new IllegalArgumentException("RSA private key without CRT parameters; cannot derive the public key");
        }
        if ("Ed25519".equalsIgnoreCase(alg) || "EdDSA".equalsIgnoreCase(alg)) {
            try {
                Ed25519PrivateKeyParameters params =
                        (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(key.getEncoded());
                return ed25519FromSeed(params.getEncoded());
            } catch (IOException | ClassCastException e) {
                throw new IllegalArgumentException("not an Ed25519 key (" + e.getMessage() + ")", e);
            }
        }
        throw new IllegalArgumentException("key algorithm " + alg + " is not usable for DKIM (rsa or ed25519)");
    }

    /** An Ed25519 key from its 32-byte seed (RFC 8032 §5.1.5), e.g. the RFC 8463 Appendix A key. */
    static DkimKey ed25519FromSeed(byte[] seed) {
        try {
            Ed25519PrivateKeyParameters params = new Ed25519PrivateKeyParameters(seed, 0);
            byte[] raw = params.generatePublicKey().getEncoded();
            KeyFactory kf = KeyFactory.getInstance("Ed25519", BC);
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(
                    concat(ED25519_PKCS8_PREFIX, seed)));
            PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI_PREFIX, raw)));
            return new DkimKey(Algorithm.ED25519_SHA256, priv, pub);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle cannot build an Ed25519 key", e);
        }
    }

    // RFC 8410 §7 and §4: fixed DER prefixes of a v1 PKCS#8 Ed25519 key and of its SPKI.
    private static final byte[] ED25519_PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    static final byte[] ED25519_SPKI_PREFIX = hex("302a300506032b6570032100");

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] hex(String s) {
        byte[] r = new byte[s.length() / 2];
        for (int i = 0; i < r.length; i++) {
            r[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return r;
    }

    @Override
    public String toString() {
        return "DkimKey[" + algorithm.tag() + ", " + bits() + " bits]"; // never print key material
    }
}
