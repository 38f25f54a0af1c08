package io.sluice.protocol.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made with Bouncy Castle: a CA that issues server certificates, and
 * self-signed ones. EC P-256 keys, SHA-256 signatures.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private TestPki() {
    }

    /** A key, its certificate and the chain above it (leaf first, the issuer last). */
    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
        /** A server-side TLS context presenting this chain. */
        public SSLContext serverContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", keys.getPrivate(), new char[0], chain.toArray(X509Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, new char[0]);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                return ctx;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A self-signed CA certificate. */
    public static Issued ca(String name) {
        KeyPair keys = keys();
        X509Certificate cert = build(new X500Name("CN=" + name), keys.getPublic(), new X500Name("CN=" + name),
                keys.getPrivate(), true, List.of(), Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
        return new Issued(keys, cert, List.of(cert));
    }

    /** An intermediate CA issued by {@code ca}; its chain is itself, then the issuer's. */
    public static Issued intermediate(Issued ca, String name) {
        KeyPair keys = keys();
        X509Certificate cert = build(new X500Name("CN=" + name), keys.getPublic(),
                new X500Name(ca.certificate().getSubjectX500Principal().getName()), ca.keys().getPrivate(), true,
                List.of(), Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
        List<X509Certificate> chain = new java.util.ArrayList<>(List.of(cert));
        chain.addAll(ca.chain());
        return new Issued(keys, cert, chain);
    }

    /** A server certificate for {@code dnsNames}, issued by {@code ca}, valid from yesterday for a month. */
    public static Issued server(Issued ca, String... dnsNames) {
        return server(ca, Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30), dnsNames);
    }

    public static Issued server(Issued ca, Instant notBefore, Duration lifetime, String... dnsNames) {
        KeyPair keys = keys();
        X509Certificate cert = build(new X500Name("CN=" + dnsNames[0]), keys.getPublic(),
                new X500Name(ca.certificate().getSubjectX500Principal().getName()), ca.keys().getPrivate(), false,
                List.of(dnsNames), notBefore, lifetime);
        List<X509Certificate> chain = new java.util.ArrayList<>(List.of(cert));
        chain.addAll(ca.chain());
        return new Issued(keys, cert, chain);
    }

    /** A self-signed server certificate, as many MX hosts publishing DANE-EE use. */
    public static Issued selfSigned(Instant notBefore, Duration lifetime, String dnsName) {
        KeyPair keys = keys();
        X509Certificate cert = build(new X500Name("CN=" + dnsName), keys.getPublic(), new X500Name("CN=" + dnsName),
                keys.getPrivate(), false, List.of(dnsName), notBefore, lifetime);
        return new Issued(keys, cert, List.of(cert));
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(X500Name subject, java.security.PublicKey key, X500Name issuer,
            PrivateKey issuerKey, boolean isCa, List<String> dnsNames, Instant notBefore, Duration lifetime) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore), Date.from(notBefore.plus(lifetime)), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            }
            if (!dnsNames.isEmpty()) {
                GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
