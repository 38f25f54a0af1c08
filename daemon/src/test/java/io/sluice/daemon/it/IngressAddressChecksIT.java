package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recipients are checked at ingress against real DNS (dnsmasq on loopback): a null-MX domain
 * gets 556 5.1.10, a domain that does not exist 550 5.1.2, on SMTP at RCPT and on HTTP as a
 * per-recipient failure; an IDN domain is looked up by its A-label; a domain DNS cannot answer
 * for is accepted (delivery retries).
 */
class IngressAddressChecksIT {

    @Test
    void nullMxAndNonexistentDomainsAreRefusedAtIngress(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.10", 0).start();
             Dnsmasq dns = Dnsmasq.builder()
                     .host("mx.ok.test", "127.0.0.10").mx("ok.test", "mx.ok.test", 10)
                     .mx("xn--bcher-kva.test", "mx.ok.test", 10)
                     .nullMx("nullmx.test")
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", sink.port())
                     .start();
             SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            smtp.command("MAIL FROM:<sender@src.test>");
            SmtpDialogue.Reply nullMx = smtp.command("RCPT TO:<nobody@nullmx.test>");
            assertEquals(556, nullMx.code(), nullMx.toString());
            assertTrue(nullMx.text().startsWith("5.1.10 "), nullMx.toString());
            SmtpDialogue.Reply nxdomain = smtp.command("RCPT TO:<ghost@nosuch.test>");
            assertEquals(550, nxdomain.code(), nxdomain.toString());
            assertTrue(nxdomain.text().startsWith("5.1.2 "), nxdomain.toString());
            assertEquals(250, smtp.command("RCPT TO:<someone@ok.test>").code());
            assertEquals(250, smtp.command("RCPT TO:<leser@bücher.test>").code(), "IDN looked up as its A-label");
            assertEquals(250, smtp.command("RCPT TO:<who@unanswered.example>").code(),
                    "no definite answer (dnsmasq refuses names outside its zones): accept, delivery retries");
            assertEquals(250, smtp.data("Subject: checks\r\n\r\nbody\r\n").code());

            String body = "{\"envelope_sender\":\"a@src.test\",\"recipients\":[{\"email\":\"x@nullmx.test\"},"
                    + "{\"email\":\"y@nosuch.test\"},{\"email\":\"z@ok.test\"}],"
                    + "\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}}";
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
            JsonNode result = new ObjectMapper().readTree(r.body());
            assertEquals(1, result.path("success_count").asInt(), r.body());
            assertEquals(2, result.path("fail_count").asInt(), r.body());
            List<String> reasons = new ArrayList<>();
            result.path("failed_recipients").forEach(f -> reasons.add(f.path("email").asText() + " " + f.path("reason").asText()));
            assertTrue(reasons.get(0).startsWith("x@nullmx.test 556 5.1.10"), reasons.toString());
            assertTrue(reasons.get(1).startsWith("y@nosuch.test 550 5.1.2"), reasons.toString());
        }
    }
}
