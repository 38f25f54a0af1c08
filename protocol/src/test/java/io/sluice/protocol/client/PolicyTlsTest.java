package io.sluice.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import io.sluice.protocol.testing.TestCa;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Certificates judged under a transport-security policy (issue 16, item 1), against SubEthaSMTP
 * serving STARTTLS with a certificate from a CA made in the test.
 */
class PolicyTlsTest {

    @Test
    void webPkiSessionWithTrustedChainAndMatchingNameIsVerified() throws Exception {
        TestCa ca = new TestCa("Test CA");
        try (Served mx = new Served(ca.server("mx.tls.test"));
             SmtpClient client = new SmtpClient(settings(), 1, SmtpClient.trustOf(ca.anchors()))) {
            SmtpConnection c = client.connect(mx.address(), null, settings().withTls(TlsMode.REQUIRED)
                    .withPeer("mx.tls.test", new PeerAuthentication.WebPki(true))).get(15, TimeUnit.SECONDS);
            assertEquals(TlsSession.Verification.VERIFIED, c.tls().verification());
            assertTrue(c.tls().protocol().equals("TLSv1.3") || c.tls().protocol().equals("TLSv1.2"), c.tls().toString());
            c.quit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void wildcardCertificateNamesOneLabelOnly() throws Exception {
        TestCa ca = new TestCa("Test CA");
        try (Served mx = new Served(ca.server("*.tls.test"));
             SmtpClient client = new SmtpClient(settings(), 1, SmtpClient.trustOf(ca.anchors()))) {
            SmtpConnection c = client.connect(mx.address(), null, policy("mx1.tls.test")).get(15, TimeUnit.SECONDS);
            assertEquals(TlsSession.Verification.VERIFIED, c.tls().verification());
            c.quit().get(10, TimeUnit.SECONDS);
            Throwable e = failure(client.connect(mx.address(), null, policy("a.mx1.tls.test")));
            assertTrue(hasCause(e, CertificateNameMismatchException.class), String.valueOf(e));
        }
    }

    @Test
    void enforcedPolicyRefusesAnotherHostsCertificate() throws Exception {
        TestCa ca = new TestCa("Test CA");
        try (Served mx = new Served(ca.server("other.tls.test"));
             SmtpClient client = new SmtpClient(settings(), 1, SmtpClient.trustOf(ca.anchors()))) {
            Throwable e = failure(client.connect(mx.address(), null, policy("mx.tls.test")));
            SmtpClientException s = assertInstanceOf(SmtpClientException.class, e);
            assertEquals(SmtpClientException.Kind.TLS, s.kind());
            assertTrue(hasCause(e, CertificateNameMismatchException.class), String.valueOf(e));
        }
    }

    @Test
    void enforcedPolicyRefusesAnUntrustedChain() throws Exception {
        TestCa ca = new TestCa("Test CA");
        try (Served mx = new Served(ca.server("mx.tls.test"));
             SmtpClient client = new SmtpClient(settings(), 1)) { // the JDK's anchors do not know the test CA
            Throwable e = failure(client.connect(mx.address(), null, policy("mx.tls.test")));
            assertEquals(SmtpClientException.Kind.TLS, ((SmtpClientException) e).kind());
            assertFalse(hasCause(e, CertificateNameMismatchException.class));
        }
    }

    @Test
    void enforcedPolicyRefusesAnExpiredCertificate() throws Exception {
        TestCa ca = new TestCa("Test CA");
        Instant now = Instant.now();
        SSLContext expired = ca.server(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), "mx.tls.test");
        try (Served mx = new Served(expired);
             SmtpClient client = new SmtpClient(settings(), 1, SmtpClient.trustOf(ca.anchors()))) {
            Throwable e = failure(client.connect(mx.address(), null, policy("mx.tls.test")));
            assertTrue(hasCause(e, CertificateExpiredException.class)
                    || String.valueOf(e).contains("expired") || String.valueOf(e).contains("validity"), String.valueOf(e));
        }
    }

    @Test
    void reportOnlyPolicyGoesOnAndSaysWhatFailed() throws Exception {
        TestCa ca = new TestCa("Test CA");
        try (Served mx = new Served(ca.server("other.tls.test"));
             SmtpClient client = new SmtpClient(settings(), 1, SmtpClient.trustOf(ca.anchors()))) {
            SmtpConnection c = client.connect(mx.address(), null, settings()
                    .withPeer("mx.tls.test", new PeerAuthentication.WebPki(false))).get(15, TimeUnit.SECONDS);
            assertTrue(c.tlsActive());
            assertEquals(TlsSession.Verification.FAILED, c.tls().verification());
            assertInstanceOf(CertificateNameMismatchException.class, c.tls().failure());
            assertTrue(c.tls().failure().getMessage().contains("other.tls.test"), c.tls().failure().getMessage());
            c.quit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void opportunisticTlsStillTakesAnyCertificate() throws Exception {
        TestCa ca = new TestCa("Test CA");
        try (Served mx = new Served(ca.server("other.tls.test"));
             SmtpClient client = new SmtpClient(settings(), 1)) {
            SmtpConnection c = client.connect(mx.address(), null).get(15, TimeUnit.SECONDS);
            assertTrue(c.tlsActive());
            assertEquals(TlsSession.Verification.NOT_CHECKED, c.tls().verification());
            c.quit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void certificateNamesFollowRfc8461() {
        assertTrue(CertificateNames.matches("mx.example.com", "mx.example.com"));
        assertTrue(CertificateNames.matches("*.example.com", "mx.example.com"));
        assertFalse(CertificateNames.matches("*.example.com", "example.com"));
        assertFalse(CertificateNames.matches("*.example.com", "a.mx.example.com"));
        assertFalse(CertificateNames.matches("m*.example.com", "mx.example.com"));
        assertFalse(CertificateNames.matches("mx.*.com", "mx.example.com"));
        assertFalse(CertificateNames.matches("*.com", "example.com"));
        assertFalse(CertificateNames.matches("mx.example.com", "mx2.example.com"));
    }

    private static ClientSettings settings() {
        return ClientSettings.defaults("client.sluice.test")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private static ClientSettings policy(String mx) {
        return settings().withTls(TlsMode.REQUIRED).withPeer(mx, new PeerAuthentication.WebPki(true));
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<SmtpConnection> connecting) throws Exception {
        try {
            connecting.get(15, TimeUnit.SECONDS).abort();
            return fail("the session should have failed");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** SubEthaSMTP on loopback serving STARTTLS with {@code tls}. */
    private static final class Served implements AutoCloseable {
        private final SMTPServer server;

        Served(SSLContext tls) {
            server = SMTPServer.port(0)
                    .bindAddress(InetAddress.getLoopbackAddress())
                    .hostName("mx.tls.test")
                    .enableTLS()
                    .startTlsSocketFactory(tls)
                    .simpleMessageListener(new SimpleMessageListener() {
                        @Override
                        public boolean accept(String from, String recipient) {
                            return true;
                        }

                        @Override
                        public void deliver(String from, String recipient, InputStream data) {
                        }
                    })
                    .build();
            server.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPortAllocated());
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
