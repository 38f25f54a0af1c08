package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery windows through the packaged daemon: a window that cannot open is refused at
 * injection over SMTP (550 5.6.0) and HTTP (400 problem naming the field); mail given a window
 * that opens a couple of minutes from now, over SMTP and over HTTP with a recipient zone, waits
 * across a restart (the window is in the spool) and reaches the sink only once it is open.
 */
class DeliveryWindowIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private static HttpResponse<String> inject(DaemonProcess daemon, ObjectNode body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode request(String window, String recipient, String zone, String subject) {
        ObjectNode req = JSON.createObjectNode();
        req.put("envelope_sender", "bounces@src.test");
        ObjectNode r = req.putArray("recipients").addObject().put("email", recipient);
        if (zone != null) {
            r.put("time_zone", zone);
        }
        req.putObject("content").put("from", "a@src.test").put("subject", subject).put("text_body", "hello");
        req.put("send_window", window);
        return req;
    }

    private static SmtpDialogue.Reply sendSmtp(DaemonProcess daemon, String windowHeader, String subject) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            assertEquals(250, smtp.command("MAIL FROM:<sender@src.test>").code());
            assertEquals(250, smtp.command("RCPT TO:<w@dest.test>").code());
            return smtp.data("X-Sluice-Window: " + windowHeader + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n");
        }
    }

    @Test
    void aWindowThatCannotOpenIsRefusedAtInjection(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir).set("sluice.smarthost", "127.0.0.1:" + sink.port()).start()) {
            SmtpDialogue.Reply empty = sendSmtp(daemon, "mon-fri 09:00-09:00 Europe/Paris", "never");
            assertEquals(550, empty.code(), empty.toString());
            assertTrue(empty.text().startsWith("5.6.0 X-Sluice-Window:") && empty.text().contains("empty hour range"),
                    empty.toString());
            SmtpDialogue.Reply zone = sendSmtp(daemon, "daily 09:00-17:00 Europe/Pariss", "bad zone");
            assertEquals(550, zone.code(), zone.toString());
            assertTrue(zone.text().contains("not an IANA time zone name"), zone.toString());
            SmtpDialogue.Reply recipient = sendSmtp(daemon, "daily 09:00-17:00 recipient", "recipient");
            assertEquals(550, recipient.code(), recipient.toString());
            assertTrue(recipient.text().contains("recipients[].time_zone"), recipient.toString());

            HttpResponse<String> r = inject(daemon, request("mon-fri 25:00-26:00 UTC", "w@dest.test", null, "never"));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonNode param = JSON.readTree(r.body()).path("invalid_params").get(0);
            assertEquals("send_window", param.path("name").asText(), r.body());
            assertTrue(param.path("reason").asText().contains("25:00 is not a time of day"), r.body());

            r = inject(daemon, request("daily 09:00-10:00 recipient", "w@dest.test", null, "no zone"));
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("recipients[0].time_zone", JSON.readTree(r.body()).path("invalid_params").get(0).path("name").asText());
            assertTrue(daemon.events().ofType("Reception").isEmpty(), "nothing refused was queued");
        }
    }

    @Test
    void mailWaitsForItsWindowAcrossARestartAndIsDeliveredInsideIt(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir).set("sluice.smarthost", "127.0.0.1:" + sink.port()).start()) {
            // opens at the start of the minute after next: between one and two minutes away
            Instant opens = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
            String utc = window(opens, ZoneOffset.UTC, "UTC");
            ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
            String recipientZone = window(opens, kiritimati, "recipient");

            SmtpDialogue.Reply queued = sendSmtp(daemon, utc, "by smtp");
            assertEquals(250, queued.code(), queued.toString());
            HttpResponse<String> r = inject(daemon, request(recipientZone, "k@dest.test", kiritimati.getId(), "by http"));
            assertEquals(202, r.statusCode(), r.body());
            Eventually.eventually("two receptions", Duration.ofSeconds(30), () -> daemon.events().ofType("Reception").size(),
                    n -> n >= 2);
            assertTrue(Instant.now().isBefore(opens), "the test got its mail in before the window opened");

            daemon.stop();
            daemon.startAgain();

            SmtpSink.Message smtp = SinkWaits.await(sink, "sent over SMTP", Duration.ofMinutes(4), SinkWaits.containing("by smtp"));
            SmtpSink.Message http = SinkWaits.await(sink, "sent over HTTP", Duration.ofMinutes(2), SinkWaits.containing("by http"));
            assertFalse(smtp.contentAsString().contains("X-Sluice-Window"), "an instruction to Sluice, not mail");
            assertEquals(List.of("w@dest.test"), smtp.rcptTo());
            assertEquals(List.of("k@dest.test"), http.rcptTo());
            // the sink has the mail a moment before the daemon logs its reply
            List<JsonNode> deliveries = Eventually.eventually("two Delivery events", Duration.ofSeconds(30),
                    () -> daemon.events().ofType("Delivery"), l -> l.size() >= 2);
            assertEquals(2, deliveries.size());
            for (JsonNode d : deliveries) {
                Instant at = Instant.parse(d.path("timestamp").asText());
                assertFalse(at.isBefore(opens), "delivered inside the window (opens " + opens + "): " + d);
            }
        }
    }

    /** Every day, from {@code opens} for ten minutes, read in {@code zone}, written with {@code zoneWord}. */
    private static String window(Instant opens, ZoneId zone, String zoneWord) {
        LocalTime start = opens.atZone(zone).toLocalTime();
        return "daily " + HH_MM.format(start) + "-" + HH_MM.format(start.plusMinutes(10)) + " " + zoneWord;
    }
}
