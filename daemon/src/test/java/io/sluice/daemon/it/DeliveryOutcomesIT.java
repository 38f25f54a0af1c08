package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a delivery can end, seen in the event log: a 4xx is retried and delivered once the
 * remote accepts; a 5xx bounces; an unreachable host defers; a null-MX domain and a domain that
 * does not exist bounce at once, without any connection.
 */
class DeliveryOutcomesIT {

    @Test
    void eachRemoteAnswerLeadsToItsOutcome(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        SmtpSink tempfailing = SmtpSink.builder().listen("127.0.0.11", port).softReject("RCPT").start();
        try (SmtpSink permfailing = SmtpSink.builder().listen("127.0.0.12", port).hardReject("RCPT").start();
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx.soft.test", "127.0.0.11").mx("soft.test", "mx.soft.test", 10)
                     .host("mx.hard.test", "127.0.0.12").mx("hard.test", "mx.hard.test", 10)
                     .host("mx.down.test", "127.0.0.13").mx("down.test", "mx.down.test", 10)
                     .nullMx("nullmx.test")
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     // this test is about delivery outcomes: let null-MX and NXDOMAIN mail past ingress
                     .set("sluice.ingress.check-domains", false)
                     .set("sluice.delivery.port", port)
                     .set("sluice.delivery.retry-initial", "1s")
                     .set("sluice.delivery.retry-max", "2s")
                     .set("sluice.delivery.destination-down-for", "1s")
                     .start();
             SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            smtp.command("MAIL FROM:<sender@src.test>");
            for (String rcpt : List.of("later@soft.test", "never@hard.test", "unreachable@down.test",
                    "nobody@nullmx.test", "ghost@nosuch.test")) {
                assertEquals(250, smtp.command("RCPT TO:<" + rcpt + ">").code(), rcpt);
            }
            assertEquals(250, smtp.data("Subject: outcomes\r\n\r\nbody\r\n").code());

            EventLogReader events = daemon.events();
            JsonNode soft = events.await("4xx deferral", Duration.ofSeconds(30),
                    EventLogReader.type("TransientFailure", "later@soft.test"));
            assertEquals(4, soft.path("response").path("code").asInt() / 100);
            assertTrue(soft.has("next_attempt"));

            JsonNode hard = events.await("5xx bounce", Duration.ofSeconds(30),
                    EventLogReader.type("Bounce", "never@hard.test"));
            assertEquals(5, hard.path("response").path("code").asInt() / 100);

            JsonNode down = events.await("unreachable deferral", Duration.ofSeconds(30),
                    EventLogReader.type("TransientFailure", "unreachable@down.test"));
            assertEquals("4.4.1", down.path("response").path("enhanced_code").asText());

            JsonNode nullMx = events.await("null MX bounce", Duration.ofSeconds(30),
                    EventLogReader.type("Bounce", "nobody@nullmx.test"));
            assertEquals("5.1.10", nullMx.path("response").path("enhanced_code").asText());
            assertEquals(1, nullMx.path("attempts").asInt(), "bounced at the first attempt");

            JsonNode nxdomain = events.await("NXDOMAIN bounce", Duration.ofSeconds(30),
                    EventLogReader.type("Bounce", "ghost@nosuch.test"));
            assertEquals("5.1.2", nxdomain.path("response").path("enhanced_code").asText());

            // the remote that said "try later" now accepts: the retry delivers
            tempfailing.close();
            try (SmtpSink accepting = SmtpSink.builder().listen("127.0.0.11", port).start()) {
                JsonNode delivered = events.await("delivery after retry", Duration.ofSeconds(30),
                        EventLogReader.type("Delivery", "later@soft.test"));
                assertTrue(delivered.path("attempts").asInt() >= 2, delivered.toString());
                assertEquals(List.of("later@soft.test"), accepting.awaitMessages(1, Duration.ofSeconds(10)).get(0).rcptTo());
            }
            assertTrue(events.ofType("Delivery").stream().noneMatch(e -> e.path("recipient").asText().endsWith("hard.test")));
        } finally {
            tempfailing.close();
        }
    }
}
