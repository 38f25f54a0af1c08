package io.sluice.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.protocol.client.SmtpClientException.Kind;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How sessions fail: every failure a precise SmtpClientException. */
class SmtpClientFailureTest {
    private static SmtpClient client;

    @BeforeAll
    static void startClient() {
        client = new SmtpClient(ClientSettings.defaults("client.sluice.test")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1)), 1);
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    @Test
    void nothingListeningIsAConnectFailure() {
        SmtpClientException e = failure(client.connect(new InetSocketAddress("127.0.0.1", FreePorts.tcp()), null));
        assertEquals(Kind.CONNECT, e.kind());
    }

    @Test
    void greeting421IsAGreetingFailureWithTheReply() throws Exception {
        try (ScriptedServer server = new ScriptedServer("421 4.3.2 mx.test too busy, try later", Map.of())) {
            SmtpClientException e = failure(client.connect(server.address(), null));
            assertEquals(Kind.GREETING, e.kind());
            assertEquals(SmtpReply.of(421, "4.3.2", "mx.test too busy, try later"), e.reply());
        }
    }

    @Test
    void greeting554IsAGreetingFailure() throws Exception {
        try (ScriptedServer server = new ScriptedServer("554 5.7.1 no mail from you", Map.of())) {
            SmtpClientException e = failure(client.connect(server.address(), null));
            assertEquals(Kind.GREETING, e.kind());
            assertEquals(554, e.reply().code());
        }
    }

    @Test
    void silentServerTimesOutAtTheGreeting() throws Exception {
        try (ScriptedServer server = new ScriptedServer("", Map.of())) {
            SmtpClientException e = failure(client.connect(server.address(), null));
            assertEquals(Kind.TIMEOUT, e.kind());
        }
    }

    @Test
    void ehloRefusedFallsBackToHelo() throws Exception {
        try (ScriptedServer server = new ScriptedServer("220 old.test", ScriptedServer.replies("EHLO", "502 5.5.1 what?"))) {
            SmtpConnection c = client.connect(server.address(), null).get(5, TimeUnit.SECONDS);
            assertEquals(java.util.Set.of(), c.extensions());
            TransactionResult r = c.send(new Transaction("a@x.test", List.of("b@y.test"), "x\r\n".getBytes())).get(5, TimeUnit.SECONDS);
            assertTrue(r.delivered());
            c.quit().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void a421MidSessionClosesTheConnectionAndFailsWithTheReply() throws Exception {
        try (ScriptedServer server = new ScriptedServer("220 mx.test", ScriptedServer.replies("RCPT", "421 4.7.0 closing"))) {
            SmtpConnection c = client.connect(server.address(), null).get(5, TimeUnit.SECONDS);
            SmtpClientException e = failure(c.send(new Transaction("a@x.test", List.of("b@y.test"), "x\r\n".getBytes())));
            assertEquals(Kind.PROTOCOL, e.kind());
            assertEquals(421, e.reply().code());
            waitClosed(c);
        }
    }

    @Test
    void silenceAfterDataTimesOut() throws Exception {
        try (ScriptedServer server = new ScriptedServer("220 mx.test", ScriptedServer.replies("DATA", "354 go", "X", "", ".", ""))) {
            SmtpConnection c = client.connect(server.address(), null).get(5, TimeUnit.SECONDS);
            // The server reads the body and the final dot but never answers: the data timeout fires.
            SmtpClientException e = failure(c.send(new Transaction("a@x.test", List.of("b@y.test"), "X\r\n".getBytes())));
            assertEquals(Kind.TIMEOUT, e.kind(), e.toString());
            waitClosed(c);
        }
    }

    @Test
    void requiredTlsWithoutStartTlsFails() throws Exception {
        try (SmtpClient strict = new SmtpClient(ClientSettings.defaults("client.sluice.test").withTls(TlsMode.REQUIRED), 1);
             SmtpSink sink = SmtpSink.start()) {
            SmtpClientException e = failure(strict.connect(sink.address(), null));
            assertEquals(Kind.TLS, e.kind());
        }
    }

    @Test
    void oneTransactionAtATime() throws Exception {
        try (ScriptedServer server = new ScriptedServer("220 mx.test", ScriptedServer.replies("MAIL", ""))) {
            SmtpConnection c = client.connect(server.address(), null).get(5, TimeUnit.SECONDS);
            CompletableFuture<TransactionResult> first = c.send(new Transaction("a@x.test", List.of("b@y.test"), new byte[0]));
            ExecutionException busy = assertThrows(ExecutionException.class,
                    () -> c.send(new Transaction("a@x.test", List.of("b@y.test"), new byte[0])).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, busy.getCause());
            assertEquals(Kind.TIMEOUT, failure(first).kind());
        }
    }

    private static void waitClosed(SmtpConnection c) throws InterruptedException {
        for (int i = 0; i < 100 && c.isOpen(); i++) {
            Thread.sleep(20);
        }
        assertFalse(c.isOpen());
    }

    private static SmtpClientException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(SmtpClientException.class, e.getCause(), String.valueOf(e.getCause()));
    }
}
