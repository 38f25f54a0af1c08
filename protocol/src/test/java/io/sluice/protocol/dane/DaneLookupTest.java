package io.sluice.protocol.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.protocol.testing.SignedZones;
import io.sluice.protocol.testing.TestPki;
import io.sluice.protocol.testing.ValidatingResolverProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DANE against a real signed zone served by Knot on loopback, the zone's KSK as trust anchor,
 * and real TLS handshakes against servers presenting Bouncy Castle certificates.
 */
class DaneLookupTest {
    private static final String ZONE = "dane.test";
    private static final Clock CLOCK = Clock.systemUTC();

    private static TestPki.Issued ee;
    private static TestPki.Issued expiredEe;
    private static TestPki.Issued ca;
    private static TestPki.Issued taLeaf;
    private static TestPki.Issued taWrongName;
    private static TestPki.Issued viaIntermediate;
    private static TestPki.Issued expiredViaIntermediate;
    private static SignedZones dns;
    private static ExecutorService executor;
    private static DaneLookup dane;
    private static ValidatingResolverProcess unbound;

    @BeforeAll
    static void zone() throws Exception {
        ee = TestPki.selfSigned(Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30), "mx-ee.dane.test");
        expiredEe = TestPki.selfSigned(Instant.now().minus(Duration.ofDays(400)), Duration.ofDays(30), "old.example");
        ca = TestPki.ca("Sluice Test CA");
        taLeaf = TestPki.server(ca, "mx-ta.dane.test");
        taWrongName = TestPki.server(ca, "somewhere-else.example");
        TestPki.Issued intermediate = TestPki.intermediate(ca, "Sluice Test Issuing CA");
        viaIntermediate = TestPki.server(intermediate, "mx-ta2.dane.test");
        expiredViaIntermediate = TestPki.server(intermediate, Instant.now().minus(Duration.ofDays(60)), Duration.ofDays(30),
                "mx-ta2.dane.test");
        TestPki.Issued stranger = TestPki.selfSigned(Instant.now(), Duration.ofDays(30), "mx-wrong.dane.test");
        dns = SignedZones.builder()
                .signed(ZONE,
                        "@ MX 10 mx-ee", "@ MX 20 mx-ta", "@ MX 30 mx-wrong", "@ MX 40 mx-bogus",
                        "@ MX 50 mx-pkix", "@ MX 60 mx-plain", "@ MX 70 mx-alias", "@ MX 80 mx-old", "@ MX 90 mx-ta2",
                        "mx-ta2 A 127.0.0.1", "_25._tcp.mx-ta2 TLSA 2 1 1 " + hex(sha256(ca.certificate().getPublicKey().getEncoded())),
                        "mx-ee A 127.0.0.1", "_25._tcp.mx-ee TLSA 3 1 1 " + hex(sha256(ee.certificate().getPublicKey().getEncoded())),
                        "mx-old A 127.0.0.1", "_25._tcp.mx-old TLSA 3 0 2 " + hex(sha512(expiredEe.certificate().getEncoded())),
                        "mx-ta A 127.0.0.1", "_25._tcp.mx-ta TLSA 2 0 1 " + hex(sha256(ca.certificate().getEncoded())),
                        "mx-wrong A 127.0.0.1", "_25._tcp.mx-wrong TLSA 3 1 1 " + hex(sha256(stranger.certificate().getPublicKey().getEncoded())),
                        "mx-bogus A 127.0.0.1", "_25._tcp.mx-bogus TLSA 3 1 1 " + hex(sha256(ee.certificate().getPublicKey().getEncoded())),
                        "mx-pkix A 127.0.0.1", "_25._tcp.mx-pkix TLSA 1 1 1 " + hex(sha256(ee.certificate().getPublicKey().getEncoded())),
                        "_25._tcp.mx-pkix TLSA 0 0 1 " + hex(sha256(ca.certificate().getEncoded())),
                        "mx-plain A 127.0.0.1",
                        "mx-alias CNAME mx-ee")
                .unsigned("insecure.dane.test", "@ MX 10 mx", "mx A 127.0.0.1",
                        "_25._tcp.mx TLSA 3 1 1 " + hex(sha256(ee.certificate().getPublicKey().getEncoded())))
                .corruptSignature("_25._tcp.mx-bogus.dane.test", "TLSA")
                .start();
        executor = Executors.newFixedThreadPool(2);
        dane = new DaneLookup(new ValidatingLookups(List.of(dns.address()), dns.trustAnchors(),
                Duration.ofSeconds(5), CLOCK, executor));
    }

    @AfterAll
    static void stop() {
        if (unbound != null) {
            unbound.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Test
    void daneEeRecordAuthenticatesTheLeafKeyWithoutNameCheck() throws Exception {
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, status("mx-ee.dane.test"));
        assertEquals(List.of("mx-ee.dane.test"), usable.referenceNames());
        handshake(ee, TlsaTrustManager.of(usable, CLOCK)); // succeeds
    }

    @Test
    void daneEeIgnoresNamesAndExpiry() throws Exception {
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, status("mx-old.dane.test"));
        handshake(expiredEe, TlsaTrustManager.of(usable, CLOCK)); // expired a year ago, named old.example
    }

    @Test
    void daneTaRecordAuthenticatesAChainIssuedByTheAnchorWithTheMxName() throws Exception {
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, status("mx-ta.dane.test"));
        handshake(taLeaf, TlsaTrustManager.of(usable, CLOCK));
    }

    @Test
    void daneTaByTheRootKeyValidatesTheWholeChainThroughAnIntermediate() throws Exception {
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, status("mx-ta2.dane.test"));
        handshake(viaIntermediate, TlsaTrustManager.of(usable, CLOCK));
    }

    @Test
    void daneTaChecksTheLeafsDates() {
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, status("mx-ta2.dane.test"));
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshake(expiredViaIntermediate, TlsaTrustManager.of(usable, CLOCK)));
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("does not validate"), rootCause(e).toString());
    }

    @Test
    void daneTaRefusesALeafWithoutTheMxName() {
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, status("mx-ta.dane.test"));
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshake(taWrongName, TlsaTrustManager.of(usable, CLOCK)));
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("none of [mx-ta.dane.test]"), e.toString());
    }

    @Test
    void wrongTlsaRecordFailsTheHandshake() {
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, status("mx-wrong.dane.test"));
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshake(ee, TlsaTrustManager.of(usable, CLOCK)));
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("no TLSA record matched"), e.toString());
    }

    @Test
    void badSignatureOnTheTlsaRecordsIsBogus() {
        DaneStatus status = status("mx-bogus.dane.test");
        assertInstanceOf(DaneStatus.Bogus.class, status, status.reason());
        assertTrue(status.reason().contains("_25._tcp.mx-bogus.dane.test"), status.reason());
    }

    @Test
    void insecureDelegationUnderTheAnchoredZoneMeansNoDane() {
        DaneStatus status = dane.status("insecure.dane.test", "mx.insecure.dane.test").join();
        assertInstanceOf(DaneStatus.Insecure.class, status, status.reason());
    }

    @Test
    void onlyPkixUsagesAreUnusableSoTlsIsMandatoryButUnauthenticated() {
        DaneStatus.UnusableOnly unusable = assertInstanceOf(DaneStatus.UnusableOnly.class, status("mx-pkix.dane.test"));
        assertEquals(2, unusable.records().size());
    }

    @Test
    void securelyAbsentTlsaIsNoDane() {
        DaneStatus status = status("mx-plain.dane.test");
        assertInstanceOf(DaneStatus.Insecure.class, status);
        assertTrue(status.reason().contains("no TLSA records"), status.reason());
    }

    @Test
    void secureCnameIsFollowedAndBothNamesAreReferenceIdentifiers() {
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, status("mx-alias.dane.test"));
        assertEquals(List.of("mx-ee.dane.test", "mx-alias.dane.test"), usable.referenceNames());
    }

    @Test
    void hostOutsideTheValidatedMxSetIsNotDane() {
        DaneStatus status = status("mx-elsewhere.dane.test");
        assertInstanceOf(DaneStatus.Insecure.class, status);
        assertTrue(status.reason().contains("not in the validated MX RRset"), status.reason());
    }

    @Test
    void domainOutsideEveryAnchorIsInsecure() {
        DaneStatus status = dane.status("example.invalid", "mx.example.invalid").join();
        assertInstanceOf(DaneStatus.Insecure.class, status, status.reason());
    }

    @Test
    void anchorThatDoesNotValidateIsReportedAsBrokenValidationNotBogus() {
        DaneLookup broken = new DaneLookup(new ValidatingLookups(List.of(dns.address()), dns.wrongTrustAnchor(),
                Duration.ofSeconds(5), CLOCK, executor));
        DaneStatus status = broken.status(ZONE, "mx-ee.dane.test").join();
        assertInstanceOf(DaneStatus.ValidationBroken.class, status, status.reason());
    }

    /* The same cases through Unbound on loopback, trusting its AD bit instead of validating here. */

    @Test
    void adBitOfALoopbackValidatingResolverGivesTheSameStatuses() {
        DaneLookup ad = new DaneLookup(new AdBitLookups(unbound().address(), Duration.ofSeconds(5), executor,
                List.of(org.xbill.DNS.Name.fromConstantString(ZONE + "."))));
        DaneStatus.Usable usable = assertInstanceOf(DaneStatus.Usable.class, ad.status(ZONE, "mx-ee.dane.test").join());
        assertEquals(1, usable.records().size());
        assertInstanceOf(DaneStatus.Usable.class, ad.status(ZONE, "mx-ta.dane.test").join());
        DaneStatus bogus = ad.status(ZONE, "mx-bogus.dane.test").join();
        assertInstanceOf(DaneStatus.Bogus.class, bogus, bogus.reason());
        DaneStatus insecure = ad.status("insecure.dane.test", "mx.insecure.dane.test").join();
        assertInstanceOf(DaneStatus.Insecure.class, insecure, insecure.reason());
        assertInstanceOf(DaneStatus.UnusableOnly.class, ad.status(ZONE, "mx-pkix.dane.test").join());
    }

    private static synchronized ValidatingResolverProcess unbound() {
        if (unbound == null) {
            unbound = ValidatingResolverProcess.start(dns, List.of(ZONE, "insecure.dane.test"), dns.trustAnchors());
        }
        return unbound;
    }

    private static DaneStatus status(String mxHost) {
        return dane.status(ZONE, mxHost).join();
    }

    /* A TLS server on loopback presenting {@code server}; the client trusts only {@code trust}. */
    private static void handshake(TestPki.Issued server, TrustManager trust) throws Exception {
        SSLContext serverContext = server.serverContext();
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                } catch (IOException expectedWhenTheClientRefuses) {
                    // the client's verdict is what the test asserts
                }
            });
            accept.start();
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {trust}, null);
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 5000);
                s.setSoTimeout(5000);
                SSLParameters params = s.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName("mx.dane.test")));
                params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                s.setSSLParameters(params);
                s.startHandshake();
                assertEquals(1, s.getInputStream().read());
            } finally {
                accept.join(5000);
            }
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static byte[] sha256(byte[] in) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(in);
    }

    private static byte[] sha512(byte[] in) throws Exception {
        return MessageDigest.getInstance("SHA-512").digest(in);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
