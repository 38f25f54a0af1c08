package io.sluice.daemon.egress.tls;

import io.sluice.daemon.config.ConfigException;
import io.sluice.protocol.client.SmtpClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The Web PKI trust anchors for policy sessions and policy hosts: the JDK's ({@code cacerts}), or
 * the certificates of a PEM file ({@code sluice.tls.trust-store}) instead of them.
 */
public record TrustAnchors(X509TrustManager trust, String origin) {

    /** Loads {@code pemFile}, or the JDK's anchors when blank; a bad file is a config error naming the key. */
    public static TrustAnchors load(String pemFile) {
        if (pemFile == null || pemFile.isBlank()) {
            return new TrustAnchors(SmtpClient.defaultTrust(), "the JDK's default trust store");
        }
        Path file = Path.of(pemFile.strip());
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException("sluice.tls.trust-store", pemFile, "no certificate in the file");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("anchor-" + i++, c);
            }
            return new TrustAnchors(SmtpClient.trustOf(store), file + " (" + certs.size() + " certificates)");
        } catch (IOException | GeneralSecurityException | IllegalStateException e) {
            throw new ConfigException("sluice.tls.trust-store", pemFile, "cannot read PEM certificates: " + e.getMessage());
        }
    }

    /** A TLS client context trusting these anchors (for HTTPS policy fetches). */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
    }
}
