package io.sluice.protocol.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;

/** STARTTLS against SubEthaSMTP with a certificate made in the test (Bouncy Castle via Netty). */
class SmtpClientTlsTest {

    record Received(String from, String to, byte[] data) {
    }

    @Test
    void opportunisticTlsUpgradesAndDelivers() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        SelfSignedCertificate cert = new SelfSignedCertificate("mx.tls.test");
        SMTPServer server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("mx.tls.test")
                .softwareName("tls-test")
                .insertReceivedHeaders(false)
                .enableTLS()
                .startTlsSocketFactory(serverContext(cert))
                .simpleMessageListener(new SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, java.io.InputStream data) throws java.io.IOException {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        data.transferTo(bytes);
                        received.add(new Received(from, recipient, bytes.toByteArray()));
                    }
                })
                .build();
        server.start();
        try (SmtpClient client = new SmtpClient(ClientSettings.defaults("client.sluice.test")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10)), 1)) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPortAllocated());
            SmtpConnection c = client.connect(address, null).get(15, TimeUnit.SECONDS);
            assertTrue(c.tlsActive());
            // SubEthaSMTP 7.2.0 still lists STARTTLS (and a closing "250 Ok") after TLS; the client
            // must simply not start TLS twice, which the successful transaction below shows.
            assertTrue(c.extensions().contains("8BITMIME"), c.extensions().toString());
            byte[] body = "Subject: secret\r\n\r\n.hidden\r\nsent over TLS\r\n".getBytes(StandardCharsets.US_ASCII);
            TransactionResult r = c.send(new Transaction("a@sluice.test", List.of("b@tls.test"), body)).get(15, TimeUnit.SECONDS);
            assertTrue(r.delivered(), r.toString());
            c.quit().get(10, TimeUnit.SECONDS);

            assertEquals(1, received.size());
            assertEquals("a@sluice.test", received.get(0).from());
            assertEquals("b@tls.test", received.get(0).to());
            assertArrayEquals(body, received.get(0).data(), new String(received.get(0).data(), StandardCharsets.US_ASCII));

            // TlsMode.NONE stays in clear even though STARTTLS is offered.
            try (SmtpClient plain = new SmtpClient(ClientSettings.defaults("client.sluice.test").withTls(TlsMode.NONE), 1)) {
                SmtpConnection p = plain.connect(address, null).get(15, TimeUnit.SECONDS);
                assertFalse(p.tlsActive());
                assertTrue(p.extensions().contains("STARTTLS"));
                p.quit().get(10, TimeUnit.SECONDS);
            }
        } finally {
            server.stop();
            cert.delete();
        }
    }

    private static SSLContext serverContext(SelfSignedCertificate cert) throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("mx", cert.key(), password, new Certificate[] {cert.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
