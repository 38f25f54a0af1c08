package io.sluice.dkim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimKeyTest {

    @TempDir
    Path dir;

    @Test
    void loadsPkcs1RsaKey() throws Exception {
        DkimKey k = DkimKey.load(RfcVectorsTest.VECTORS.resolve("rfc8463-rsa1024.key.pem"));
        assertEquals(Algorithm.RSA_SHA256, k.algorithm());
        assertEquals(1024, k.bits());
    }

    @Test
    void writtenKeysReloadAsPkcs8WithOwnerOnlyMode() throws Exception {
        for (DkimKey k : List.of(KeyGenerator.rsa(2048), KeyGenerator.ed25519())) {
            Path f = dir.resolve(k.algorithm() + ".pem");
            KeyGenerator.writePem(k, f);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            assertTrue(Files.readString(f).startsWith("-----BEGIN PRIVATE KEY-----"));
            DkimKey back = DkimKey.load(f);
            assertEquals(k.algorithm(), back.algorithm());
            assertArrayEquals(k.publicKeyData(), back.publicKeyData());
        }
    }

    @Test
    void writePemRefusesToOverwriteAKey() throws Exception {
        Path f = dir.resolve("k.pem");
        KeyGenerator.writePem(KeyGenerator.ed25519(), f);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> KeyGenerator.writePem(KeyGenerator.ed25519(), f));
    }

    @Test
    void ed25519RecordCarriesTheRaw32ByteKey() {
        DnsRecord r = DnsRecord.of(KeyGenerator.ed25519());
        assertEquals(32, Base64.getDecoder().decode(r.publicKeyBase64()).length);
        assertTrue(r.txtValue().startsWith("v=DKIM1; k=ed25519; p="));
    }

    @Test
    void longRsaRecordIsSplitInto255ByteStrings() {
        DkimKey k = KeyGenerator.rsa(4096);
        DnsRecord r = DnsRecord.of(k);
        List<String> parts = r.txtStrings();
        assertTrue(parts.size() >= 3);
        assertTrue(parts.stream().allMatch(p -> p.length() <= 255));
        assertEquals(r.txtValue(), String.join("", parts));
        assertTrue(DnsRecord.parse(String.join("", parts)).matches(k));
        assertTrue(r.zoneLine("s1", "example.test").startsWith("s1._domainkey.example.test. IN TXT ("));
    }

    @Test
    void recordOfAnotherKeyDoesNotMatch() {
        assertTrue(!DnsRecord.of(KeyGenerator.ed25519()).matches(KeyGenerator.ed25519()));
    }

    @Test
    void rsaKeyBelow1024BitsIsRejectedNamingTheFile() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(512);
        Path f = dir.resolve("short.pem");
        Files.writeString(f, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        DkimKeyException e = assertThrows(DkimKeyException.class, () -> DkimKey.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("512 bits is too short"), e.getMessage());
    }

    @Test
    void wrongFormatIsRejectedNamingTheFile() throws Exception {
        Path f = dir.resolve("notakey.pem");
        Files.writeString(f, "this is not a key\n");
        DkimKeyException e = assertThrows(DkimKeyException.class, () -> DkimKey.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("no PEM private key"), e.getMessage());
    }

    @Test
    void publicKeyPemIsRejectedAsNotAPrivateKey() throws Exception {
        Path f = dir.resolve("public.pem");
        Files.writeString(f, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(KeyGenerator.ed25519().publicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        DkimKeyException e = assertThrows(DkimKeyException.class, () -> DkimKey.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("not a private key"), e.getMessage());
    }

    @Test
    void corruptPemBodyIsRejectedNamingTheFile() throws Exception {
        Path f = dir.resolve("corrupt.pem");
        Files.writeString(f, "-----BEGIN RSA PRIVATE KEY-----\nAAAA!!!!\n-----END RSA PRIVATE KEY-----\n");
        DkimKeyException e = assertThrows(DkimKeyException.class, () -> DkimKey.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void missingFileIsRejectedNamingTheFile() {
        Path f = dir.resolve("absent.pem");
        DkimKeyException e = assertThrows(DkimKeyException.class, () -> DkimKey.load(f));
        assertEquals("DKIM key " + f + ": file not found", e.getMessage());
    }

    @Test
    void unreadableFileIsRejectedNamingTheFile() throws Exception {
        // Tests may run as root, which reads any mode; a directory is unreadable as a file for everyone.
        Path f = Files.createDirectory(dir.resolve("adir.pem"));
        DkimKeyException e = assertThrows(DkimKeyException.class, () -> DkimKey.load(f));
        assertTrue(e.getMessage().startsWith("DKIM key " + f + ": cannot read"), e.getMessage());
        Path locked = dir.resolve("locked.pem");
        KeyGenerator.writePem(KeyGenerator.ed25519(), locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(locked)) { // not root
            DkimKeyException e2 = assertThrows(DkimKeyException.class, () -> DkimKey.load(locked));
            assertEquals("DKIM key " + locked + ": cannot read (permission denied)", e2.getMessage());
        }
    }
}
