package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A destination that refuses service (421 greeting) is rested: its queued deliveries are
 * deferred together instead of each one reconnecting. DNS that fails (SERVFAIL) defers, and a
 * delivery that keeps failing expires after max-age.
 */
class DestinationDownIT {

    /** Greets every connection with 421 and hangs up, counting connections. */
    private static final class RefusingServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket socket;
        private final Thread thread;

        RefusingServer(String host, int port) throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        OutputStream out = s.getOutputStream();
                        out.write("421 4.7.0 mx.busy.test Service not available, try later\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "refusing-server");
            thread.start();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5000);
        }
    }

    @Test
    void refusingDestinationIsRestedDnsFailureDefersAndOldMailExpires(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        int deadDns = FreePorts.tcpAndUdp();
        int recipients = 30;
        try (RefusingServer busy = new RefusingServer("127.0.0.15", port);
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx.busy.test", "127.0.0.15").mx("busy.test", "mx.busy.test", 10)
                     .option("--server=/servfail.test/127.0.0.1#" + deadDns)
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.dns.timeout", "2s")
                     .set("sluice.delivery.port", port)
                     .set("sluice.delivery.destination-down-for", "30s")
                     .set("sluice.delivery.retry-initial", "1s")
                     .set("sluice.delivery.max-age", "6s")
                     .start();
             SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            smtp.command("MAIL FROM:<sender@src.test>");
            for (int i = 0; i < recipients; i++) {
                assertEquals(250, smtp.command("RCPT TO:<r" + i + "@busy.test>").code());
            }
            assertEquals(250, smtp.command("RCPT TO:<who@servfail.test>").code());
            assertEquals(250, smtp.data("Subject: busy\r\n\r\nbody\r\n").code());

            EventLogReader events = daemon.events();
            events.await("all busy.test deliveries deferred", Duration.ofSeconds(30), e -> events.ofType("TransientFailure")
                    .stream().filter(t -> t.path("site").asText().equals("busy.test")).map(t -> t.path("recipient").asText())
                    .distinct().count() == recipients);
            JsonNode one = events.ofType("TransientFailure").stream()
                    .filter(t -> t.path("site").asText().equals("busy.test")).findFirst().orElseThrow();
            assertEquals(421, one.path("response").path("code").asInt(), one.toString());
            int connections = busy.connections.get();
            assertTrue(connections <= 8, "rested after the first refusals, not one connection per recipient: "
                    + connections + " connections for " + recipients + " recipients");

            JsonNode servfail = events.await("SERVFAIL deferral", Duration.ofSeconds(30),
                    EventLogReader.type("TransientFailure", "who@servfail.test"));
            assertEquals("4.4.3", servfail.path("response").path("enhanced_code").asText(), servfail.toString());

            JsonNode expired = events.await("expiry after max-age", Duration.ofSeconds(40),
                    EventLogReader.type("Expiration", "who@servfail.test"));
            assertEquals(4, expired.path("response").path("code").asInt() / 100, expired.toString());
            assertTrue(events.ofType("Bounce").isEmpty(), "nothing here is permanent");
        }
    }
}
