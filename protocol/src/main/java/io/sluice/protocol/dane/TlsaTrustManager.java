package io.sluice.protocol.dane;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a server's certificate chain when it matches one of the usable TLSA records of its MX
 * host (RFC 7672 §3.1, RFC 7671 §5):
 * <ul>
 *   <li><b>DANE-EE(3)</b>: the leaf's certificate (selector 0) or public key (selector 1)
 *       matches. Neither names nor validity dates are checked (RFC 7672 §3.1.1).</li>
 *   <li><b>DANE-TA(2)</b>: a certificate of the chain above the leaf matches and becomes the
 *       trust anchor; the chain from the leaf up to it must validate (signatures, CA flags,
 *       validity dates at the clock's time), and the leaf must carry one of the reference names
 *       (RFC 7672 §3.2.3; {@link ReferenceNames}).</li>
 * </ul>
 * One instance per connection (it holds that MX host's records and names). It only judges
 * servers; asked about a client it refuses.
 */
public final class TlsaTrustManager extends X509ExtendedTrustManager {
    private final List<TlsaRecord> records;
    private final List<String> referenceNames;
    private final Clock clock;

    public TlsaTrustManager(List<TlsaRecord> records, List<String> referenceNames, Clock clock) {
        this.records = List.copyOf(records);
        this.referenceNames = List.copyOf(referenceNames);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.records.isEmpty() || this.records.stream().anyMatch(r -> !r.usable())) {
            throw new IllegalArgumentException("a TLSA trust manager needs usable TLSA records only");
        }
    }

    public static TlsaTrustManager of(DaneStatus.Usable usable, Clock clock) {
        return new TlsaTrustManager(usable.records(), usable.referenceNames(), clock);
    }

    /** Throws with the reasons every record failed, or returns when one matched. */
    public void verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("DANE: the server sent no certificate");
        }
        List<String> failures = new ArrayList<>();
        for (TlsaRecord record : records) {
            if (record.usage() == TlsaRecord.DANE_EE) {
                if (matches(record, chain[0])) {
                    return;
                }
                failures.add("DANE-EE " + record.selector() + " " + record.matchingType() + ": the leaf does not match");
            }
        }
        for (TlsaRecord record : records) {
            if (record.usage() != TlsaRecord.DANE_TA) {
                continue;
            }
            boolean anyMatch = false;
            for (int i = 1; i < chain.length; i++) {
                if (!matches(record, chain[i])) {
                    continue;
                }
                anyMatch = true;
                String problem = validateUpTo(chain, i);
                if (problem == null) {
                    problem = ReferenceNames.check(chain[0], referenceNames);
                }
                if (problem == null) {
                    return;
                }
                failures.add("DANE-TA " + record.selector() + " " + record.matchingType() + ": " + problem);
            }
            if (!anyMatch) {
                failures.add("DANE-TA " + record.selector() + " " + record.matchingType()
                        + ": no certificate of the chain matches");
            }
        }
        throw new CertificateException("DANE: no TLSA record matched the server's chain (" + String.join("; ", failures) + ")");
    }

    /* PKIX from the leaf up to chain[anchor], with chain[anchor] as trust anchor; null when valid. */
    private String validateUpTo(X509Certificate[] chain, int anchor) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPath path = factory.generateCertPath(Arrays.asList(chain).subList(0, anchor));
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(chain[anchor], null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(path, params);
            return null;
        } catch (GeneralSecurityException e) {
            return "the chain to the matched trust anchor does not validate: " + e.getMessage();
        }
    }

    static boolean matches(TlsaRecord record, X509Certificate cert) {
        try {
            byte[] selected = record.selector() == TlsaRecord.SELECTOR_CERT ? cert.getEncoded()
                    : cert.getPublicKey().getEncoded();
            byte[] digest = switch (record.matchingType()) {
                case TlsaRecord.MATCH_FULL -> selected;
                case TlsaRecord.MATCH_SHA256 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case TlsaRecord.MATCH_SHA512 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return digest != null && record.sameData(digest);
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a TLSA trust manager judges servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a TLSA trust manager judges servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a TLSA trust manager judges servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
