package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.protocol.testing.SmtpSink;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/inject} against the packaged daemon, delivering through a smarthost into
 * postfix's smtp-sink; what arrives is parsed with Jakarta Mail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpInjectionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path dir;
    private static SmtpSink sink;
    private static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("http-inject-it");
        sink = SmtpSink.builder().start();
        daemon = DaemonProcess.in(dir).set("sluice.smarthost", "127.0.0.1:" + sink.port())
                .set("sluice.admin.token", "admin-token")
                // below the request body limit (sluice.api.max-body, 8MB), so a built message can exceed it
                .set("sluice.api.max-message-bytes", "4MB").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int receptions() {
        return daemon.events().ofType("Reception").size();
    }

    @Test
    void substitutionsGivePersonalisedMimeMessagesThatParseCleanly() throws Exception {
        String longLine = "x".repeat(1000) + " é " + "y".repeat(997);
        byte[] pdf = "%PDF-1.4 not really\u0000\u0001\u0002".getBytes(StandardCharsets.ISO_8859_1);
        ObjectNode req = JSON.createObjectNode();
        req.put("envelope_sender", "bounces@src.test");
        ArrayNode rcpts = req.putArray("recipients");
        for (String who : List.of("Zoë", "Åsa", "Bob <script>")) {
            ObjectNode r = rcpts.addObject();
            r.put("email", who.substring(0, 3).replace('Å', 'A').replace('ë', 'e').toLowerCase() + "@personal.test");
            r.put("name", who + " Ünïcode");
            r.putObject("substitutions").put("first", who);
        }
        ObjectNode content = req.putObject("content");
        content.put("from", "Ünïcode Sender <news@src.test>");
        content.put("subject", "Grüße, {{first}} — 日本語");
        content.put("text_body", "Hello {{first}}!\n" + longLine + "\n");
        content.put("html_body", "<p>Hello {{first}}</p>");
        ObjectNode att = content.putArray("attachments").addObject();
        att.put("file_name", "rapport-é.pdf");
        att.put("content_type", "application/pdf");
        att.put("base64_data", Base64.getEncoder().encodeToString(pdf));
        req.put("campaign", "welcome");

        HttpResponse<String> response = post(req.toString());
        assertEquals(202, response.statusCode(), response.body());
        JsonNode result = JSON.readTree(response.body());
        assertEquals(3, result.path("success_count").asInt());
        assertEquals(0, result.path("fail_count").asInt());
        assertEquals(3, result.path("ids").size(), "one message per personalised recipient");

        List<SmtpSink.Message> got = List.of();
        for (long deadline = System.nanoTime() + 60_000_000_000L; got.size() < 3 && System.nanoTime() < deadline; ) {
            got = sink.messages().stream().filter(m -> m.rcptTo().get(0).endsWith("@personal.test")).toList();
            Thread.sleep(100);
        }
        assertEquals(3, got.size(), "one message per recipient at the sink");
        Session session = Session.getInstance(new Properties());
        for (SmtpSink.Message m : got) {
            for (String line : m.contentAsString().split("\r\n")) {
                assertTrue(line.length() <= 998, "line too long on the wire");
            }
            MimeMessage mime = new MimeMessage(session, new ByteArrayInputStream(m.content()));
            String first = switch (m.rcptTo().get(0)) {
                case "zoe@personal.test" -> "Zoë";
                case "asa@personal.test" -> "Åsa";
                default -> "Bob <script>";
            };
            assertEquals("Grüße, " + first + " — 日本語", mime.getSubject());
            assertEquals("Ünïcode Sender", ((InternetAddress) mime.getFrom()[0]).getPersonal());
            assertEquals(first + " Ünïcode", ((InternetAddress) mime.getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal());
            assertTrue(mime.isMimeType("multipart/mixed"), mime.getContentType());
            Multipart mixed = (Multipart) mime.getContent();
            assertEquals(2, mixed.getCount());
            Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
            assertTrue(alternative.getBodyPart(0).isMimeType("text/plain"));
            String text = (String) alternative.getBodyPart(0).getContent();
            assertTrue(text.contains("Hello " + first + "!"), text);
            assertTrue(text.contains(longLine), "the 2,000-character line survives intact");
            assertTrue(alternative.getBodyPart(1).isMimeType("text/html"));
            String html = (String) alternative.getBodyPart(1).getContent();
            if (first.startsWith("Bob")) {
                assertEquals("<p>Hello Bob &lt;script&gt;</p>", html.strip());
            }
            BodyPart attachment = mixed.getBodyPart(1);
            assertEquals(Part.ATTACHMENT, attachment.getDisposition());
            assertEquals("rapport-é.pdf", jakarta.mail.internet.MimeUtility.decodeText(attachment.getFileName()));
            assertArrayEquals(pdf, attachment.getInputStream().readAllBytes());
        }
    }

    @Test
    void badInputGetsAPreciseProblemAndQueuesNothing() throws Exception {
        String ok = "{\"envelope_sender\":\"a@src.test\",\"recipients\":[{\"email\":\"b@x.test\"}],"
                + "\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}}";
        assertEquals(202, post(ok).statusCode());
        Thread.sleep(300);
        int before = receptions();
        String manyRecipients = "{\"envelope_sender\":\"a@src.test\",\"recipients\":["
                + "{\"email\":\"b@x.test\"},".repeat(100_000) + "{\"email\":\"b@x.test\"}],"
                + "\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}}";
        record Case(String what, String body, int status, String field) {
        }
        List<Case> cases = List.of(
                new Case("malformed JSON", "{\"envelope_sender\": ", 400, null),
                new Case("wrong type", ok.replace("\"subject\":\"s\"", "\"subject\":42"), 400, "content.subject"),
                new Case("unknown field", ok.replace("\"envelope_sender\"", "\"colour\":\"red\",\"envelope_sender\""),
                        400, "colour"),
                new Case("CRLF in a header", ok.replace("\"text_body\"", "\"headers\":{\"X-A\":\"v\\r\\nBcc: e@evil.test\"},\"text_body\""),
                        400, "content.headers.X-A"),
                new Case("CRLF in an address", ok.replace("b@x.test", "b@x.test\\r\\nRCPT TO:<c@evil.test>"),
                        400, "recipients[0].email"),
                new Case("unknown tenant", ok.replace("\"envelope_sender\"", "\"tenant\":\"nobody\",\"envelope_sender\""),
                        400, "tenant"),
                new Case("unknown pool", ok.replace("\"envelope_sender\"", "\"pool\":\"nowhere\",\"envelope_sender\""),
                        400, "pool"),
                new Case("bad address", ok.replace("b@x.test", "b@@x.test"), 400, "recipients[0].email"),
                new Case("no recipients", ok.replace("[{\"email\":\"b@x.test\"}]", "[]"), 400, "recipients"),
                new Case("100,001 recipients", manyRecipients, 400, "recipients"),
                new Case("bad base64", ok.replace("\"text_body\"", "\"attachments\":[{\"file_name\":\"a\",\"content_type\":\"text/plain\",\"base64_data\":\"***\"}],\"text_body\""),
                        400, "content.attachments[0].base64_data"),
                // a 6 MB request (under max-body) whose built message (two 3 MB parts) is over 4 MB
                new Case("oversize message", ok.replace("\"t\"}", "\"" + "word ".repeat(600 * 1024)
                        + "\",\"html_body\":\"" + "word ".repeat(600 * 1024) + "\"}"), 413, null),
                new Case("line too long in a raw message", ok.replace("{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}",
                        "\"From: a@src.test\\r\\n\\r\\n" + "z".repeat(1200) + "\""), 400, "content"));
        for (Case c : cases) {
            HttpResponse<String> r = post(c.body());
            assertEquals(c.status(), r.statusCode(), c.what() + ": " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0], c.what());
            JsonNode problem = JSON.readTree(r.body());
            assertEquals(c.status(), problem.path("status").asInt(), c.what());
            assertFalse(problem.path("title").asText().isEmpty(), c.what());
            assertFalse(problem.path("type").asText().isEmpty(), c.what());
            if (c.field() != null) {
                List<String> fields = new ArrayList<>();
                problem.path("invalid_params").forEach(p -> fields.add(p.path("name").asText()));
                assertTrue(fields.contains(c.field()), c.what() + ": " + r.body());
            }
        }
        Thread.sleep(500);
        assertEquals(before, receptions(), "nothing was queued by a refused request");
    }

    @Test
    void anIdempotencyKeyResentQueuesOnceEvenAcrossARestart() throws Exception {
        String body = "{\"envelope_sender\":\"a@src.test\",\"recipients\":[{\"email\":\"once@x.test\"}],"
                + "\"idempotency_key\":\"order-42\","
                + "\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}}";
        HttpResponse<String> first = post(body);
        assertEquals(202, first.statusCode(), first.body());
        HttpResponse<String> again = post(body);
        assertEquals(202, again.statusCode());
        assertEquals(JSON.readTree(first.body()).path("ids"), JSON.readTree(again.body()).path("ids"));
        daemon.stop();
        daemon.startAgain();
        HttpResponse<String> afterRestart = post(body);
        assertEquals(JSON.readTree(first.body()).path("ids"), JSON.readTree(afterRestart.body()).path("ids"));
        long receptionsOfKey = daemon.events().ofType("Reception").stream()
                .filter(e -> e.path("recipients").toString().contains("once@x.test")).count();
        assertEquals(1, receptionsOfKey);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: its 20,000 deliveries would queue ahead of the other tests' mail at the sink
    void tenThousandPersonalisedRecipientsInOneRequest() throws Exception {
        ObjectNode req = JSON.createObjectNode();
        req.put("envelope_sender", "bulk@src.test");
        ArrayNode rcpts = req.putArray("recipients");
        for (int i = 0; i < 10_000; i++) {
            ObjectNode r = rcpts.addObject();
            r.put("email", "user" + i + "@bulk.test");
            r.putObject("substitutions").put("n", i);
        }
        req.putObject("content").put("from", "bulk@src.test").put("subject", "Number {{n}}")
                .put("text_body", "Hello number {{n}}, this is your personal message.\n");
        long start = System.nanoTime();
        HttpResponse<String> response = post(req.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(202, response.statusCode(), response.body());
        JsonNode result = JSON.readTree(response.body());
        assertEquals(10_000, result.path("success_count").asInt());
        assertEquals(10_000, result.path("ids").size());
        System.out.printf("HTTP injection: 10000 personalised recipients durable in %.2f s = %.0f recipients/s%n",
                seconds, 10_000 / seconds);

        // the same without substitutions: one message, spooled once per sluice.api.batch-recipients
        ObjectNode shared = req.deepCopy();
        shared.withArray("recipients").forEach(r -> ((ObjectNode) r).remove("substitutions"));
        start = System.nanoTime();
        HttpResponse<String> sharedResponse = post(shared.toString());
        seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(202, sharedResponse.statusCode(), sharedResponse.body());
        assertEquals(10, JSON.readTree(sharedResponse.body()).path("ids").size(), "10 batches of 1000");
        System.out.printf("HTTP injection: 10000 recipients of one shared message durable in %.2f s = %.0f recipients/s%n",
                seconds, 10_000 / seconds);
    }

    @Test
    void aSuppressedRecipientIsReportedAndNotQueued() throws Exception {
        HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + daemon.httpPort() + "/admin/suppressions"))
                .header("Authorization", "Bearer admin-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"default\",\"address\":\"said-no@x.test\","
                        + "\"reason\":\"manual\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, added.statusCode(), added.body());
        HttpResponse<String> r = post("{\"envelope_sender\":\"a@src.test\",\"recipients\":[{\"email\":\"said-no@x.test\"},"
                + "{\"email\":\"said-yes@x.test\"}],\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}}");
        assertEquals(202, r.statusCode(), r.body());
        JsonNode result = JSON.readTree(r.body());
        assertEquals(1, result.path("success_count").asInt(), r.body());
        assertEquals("said-no@x.test", result.path("failed_recipients").path(0).path("email").asText());
        assertTrue(result.path("failed_recipients").path(0).path("reason").asText().startsWith("suppressed ("), r.body());
    }

    @Test
    void aRawMessageIsDeliveredAsGivenWithoutSluiceFields() throws Exception {
        HttpResponse<String> r = post("{\"envelope_sender\":\"a@src.test\",\"recipients\":[{\"email\":\"raw@x.test\"}],"
                + "\"campaign\":\"c1\",\"content\":\"From: a@src.test\\nX-Sluice-Pool: bulk\\nSubject: raw\\n\\nline one\\n\"}");
        assertEquals(202, r.statusCode(), r.body());
        SmtpSink.Message got = SinkWaits.await(sink, "for " + "raw@x.test", Duration.ofSeconds(30), x -> x.rcptTo().contains("raw@x.test"));
        String text = got.contentAsString();
        assertTrue(text.contains("From: a@src.test\r\nSubject: raw\r\n"), text);
        assertTrue(text.endsWith("\r\n\r\nline one\r\n"), text);
        assertFalse(text.contains("X-Sluice"), text);
    }

    @Test
    void sendAtHoldsDeliveryUntilItsTime() throws Exception {
        java.time.Instant at = java.time.Instant.now().plusSeconds(5);
        String body = "{\"envelope_sender\":\"a@src.test\",\"recipients\":[{\"email\":\"later@x.test\"}],"
                + "\"send_at\":\"" + at + "\","
                + "\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}}";
        assertEquals(202, post(body).statusCode());
        JsonNode delivered = daemon.events().await("scheduled delivery", Duration.ofSeconds(60),
                EventLogReader.type("Delivery", "later@x.test"));
        java.time.Instant deliveredAt = java.time.Instant.parse(delivered.path("timestamp").asText());
        assertFalse(deliveredAt.isBefore(at.minusMillis(50)), "delivered at " + deliveredAt + ", due " + at);
    }

    /** Every ```json block after an "<!-- inject-example -->" marker in docs/api.md is posted as is. */
    @Test
    void theExamplesInTheApiDocsWork() throws Exception {
        String doc = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("api.md"));
        Matcher m = Pattern.compile("<!-- inject-example -->\\s*```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        int n = 0;
        while (m.find()) {
            HttpResponse<String> r = post(m.group(1));
            assertEquals(202, r.statusCode(), "example " + n + ": " + r.body());
            assertTrue(JSON.readTree(r.body()).path("success_count").asInt() > 0, r.body());
            n++;
        }
        assertTrue(n >= 2, "docs/api.md has inject examples");
    }
}
