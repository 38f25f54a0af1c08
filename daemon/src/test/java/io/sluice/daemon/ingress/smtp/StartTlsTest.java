package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.config.ConfigException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartTlsTest {

    @Test
    void aPemCertificateAndKeyMakeAServerContext(@TempDir Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        X500Name name = new X500Name("CN=mta.test");
        var holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(), new Date(System.currentTimeMillis() + 86_400_000L),
                name, pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        try (Writer w = Files.newBufferedWriter(cert); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(holder);
        }
        try (Writer w = Files.newBufferedWriter(key); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(pair.getPrivate());
        }
        SSLContext context = StartTls.fromPem(cert.toString(), key.toString());
        assertNotNull(context.getServerSocketFactory());
    }

    @Test
    void aFileWithoutACertificateNamesTheKey(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        ConfigException e = assertThrows(ConfigException.class, () -> StartTls.fromPem(empty.toString(), empty.toString()));
        assertTrue(e.getMessage().contains("sluice.submission.tls-cert"), e.getMessage());
    }

    @Test
    void theDevelopmentCertificateIsMadeQuickly() {
        assertNotNull(StartTls.selfSigned("mta.test"));
    }
}
