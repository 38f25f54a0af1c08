package io.sluice.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;

/** Creates DKIM keys and writes them as PEM files only their owner can read. */
public final class KeyGenerator {

    private KeyGenerator() {
    }

    /** A new RSA key; {@code bits} from 1024 to 4096 (2048 is the sensible default, RFC 8301 §3.2). */
    public static DkimKey rsa(int bits) {
        if (bits < DkimKey.MIN_RSA_BITS || bits > DkimKey.MAX_RSA_BITS) {
            throw new IllegalArgumentException("RSA key size " + bits + " outside " + DkimKey.MIN_RSA_BITS
                    + ".." + DkimKey.MAX_RSA_BITS);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            return new DkimKey(Algorithm.RSA_SHA256, kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation unavailable", e);
        }
    }

    /** A new Ed25519 key (RFC 8463). */
    public static DkimKey ed25519() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return DkimKey.ed25519FromSeed(seed);
    }

    /**
     * Writes the private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), readable by
     * {@link DkimKey#load}, OpenSSL, OpenDKIM and dkimpy. The file is created with mode 0600 so
     * the key is never readable by others, not even for a moment; an existing file is not
     * overwritten (a replaced key would silently break mail still signed against the published
     * record).
     */
    public static void writePem(DkimKey k, Path file) throws IOException {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(k.privateKey().getEncoded());
        byte[] pem = ("-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (OutputStream os = createOwnerOnly(file)) {
            os.write(pem);
        }
    }

    private static OutputStream createOwnerOnly(Path file) throws IOException {
        try {
            return Files.newOutputStream(Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
        } catch (UnsupportedOperationException notPosix) {
            return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite an existing key file");
        }
    }
}
