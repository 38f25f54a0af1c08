package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.config.ConfigException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** The server-side TLS context for STARTTLS: from PEM files, or self-signed for development. */
final class StartTls {

    private StartTls() {
    }

    static SSLContext fromPem(String certFile, String keyFile) {
        try {
            List<Certificate> chain = new ArrayList<>();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            try (Reader r = Files.newBufferedReader(Path.of(certFile)); PEMParser pem = new PEMParser(r)) {
                Object o;
                while ((o = pem.readObject()) != null) {
                    if (o instanceof X509CertificateHolder holder) {
                        chain.add(converter.getCertificate(holder));
                    }
                }
            }
            if (chain.isEmpty()) {
                throw new ConfigException("sluice.submission.tls-cert", certFile, "no certificate in the file");
            }
            PrivateKey key;
            try (Reader r = Files.newBufferedReader(Path.of(keyFile)); PEMParser pem = new PEMParser(r)) {
                Object o = pem.readObject();
                JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
                if (o instanceof PEMKeyPair pair) {
                    key = keys.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info);
                } else {
                    throw new ConfigException("sluice.submission.tls-key", keyFile, "no PEM private key in the file");
                }
            }
            return context(key, chain.toArray(Certificate[]::new));
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("sluice.submission.tls-cert", certFile, "cannot load certificate/key: " + e);
        }
    }

    /**
     * A fresh EC P-256 key (milliseconds to make, where RSA-2048 can take seconds on a busy
     * machine) and a one-year certificate for {@code hostname}; clients must not verify it.
     */
    static SSLContext selfSigned(String hostname) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + hostname);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName[]{new GeneralName(GeneralName.dNSName, hostname),
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return context(pair.getPrivate(), new Certificate[]{cert});
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e, e);
        }
    }

    private static SSLContext context(PrivateKey key, Certificate[] chain) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "sluice".toCharArray();
        store.setKeyEntry("smtp", key, password, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
