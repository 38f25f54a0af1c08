package io.sluice.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import io.sluice.protocol.testing.TestCa;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 5: bytes sent in clear right after the 220 to STARTTLS (the CVE-2011-0411 class
 * of response injection) must end the session, not be read as replies once TLS is up. The server
 * here completes a real TLS handshake after the injection, so only the client's check can stop it.
 */
class StartTlsInjectionTest {

    @Test
    void aWholeReplyPipelinedAfterTheStartTlsAnswerFailsTheSession() throws Exception {
        assertInjectionRefused("220 2.0.0 go ahead\r\n250 injected\r\n");
    }

    @Test
    void aPartialLinePipelinedAfterTheStartTlsAnswerFailsTheSession() throws Exception {
        assertInjectionRefused("220 2.0.0 go ahead\r\n25");
    }

    @Test
    void anHonestStartTlsAnswerStillUpgrades() throws Exception {
        TestCa ca = new TestCa("Test CA");
        try (InjectingServer server = new InjectingServer(ca.server("mx.tls.test"), "220 2.0.0 go ahead\r\n");
             SmtpClient client = new SmtpClient(settings(), 1)) {
            SmtpConnection c = client.connect(server.address(), null).get(15, TimeUnit.SECONDS);
            assertTrue(c.tlsActive());
            c.abort();
        }
    }

    private static void assertInjectionRefused(String startTlsAnswer) throws Exception {
        TestCa ca = new TestCa("Test CA");
        try (InjectingServer server = new InjectingServer(ca.server("mx.tls.test"), startTlsAnswer);
             SmtpClient client = new SmtpClient(settings(), 1)) {
            try {
                client.connect(server.address(), null).get(15, TimeUnit.SECONDS).abort();
                fail("a session with injected plaintext must fail");
            } catch (ExecutionException e) {
                SmtpClientException s = (SmtpClientException) e.getCause();
                assertEquals(SmtpClientException.Kind.TLS, s.kind());
                assertTrue(s.getMessage().contains("injection"), s.getMessage());
            }
        }
    }

    private static ClientSettings settings() {
        return ClientSettings.defaults("client.sluice.test")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    /** Greets, offers STARTTLS, answers it with {@code startTlsAnswer} in one write, then does TLS. */
    private static final class InjectingServer implements AutoCloseable {
        private final ServerSocket server;

        InjectingServer(SSLContext tls, String startTlsAnswer) throws IOException {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> serve(tls, startTlsAnswer), "injecting-smtp");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        private void serve(SSLContext tls, String startTlsAnswer) {
            try (Socket s = server.accept()) {
                OutputStream out = s.getOutputStream();
                // read byte by byte: a buffered reader would swallow the client's TLS hello
                out.write("220 mx.tls.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                readLine(s);
                out.write("250-mx.tls.test\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                readLine(s);
                out.write(startTlsAnswer.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), false);
                secure.setUseClientMode(false);
                secure.startHandshake();
                BufferedReader in = new BufferedReader(new InputStreamReader(secure.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream secureOut = secure.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    secureOut.write((line.startsWith("EHLO") ? "250 mx.tls.test\r\n" : "221 bye\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    secureOut.flush();
                }
            } catch (IOException ignored) {
                // the client went away, as it should after an injection
            }
        }

        private static void readLine(Socket s) throws IOException {
            int c;
            while ((c = s.getInputStream().read()) >= 0 && c != '\n') {
                // skip
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
