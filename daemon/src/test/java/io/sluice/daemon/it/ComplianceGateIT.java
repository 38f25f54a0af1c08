package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 item 2: the compliance gate for marketing mail in its three modes, over SMTP and HTTP.
 * Three tenants own one domain each (one DKIM key signs all three) and run the gate in {@code
 * enforce}, {@code fix} and {@code report}. What passes is checked by two independent verifiers
 * (dkimpy, OpenDKIM): the signature covers List-Unsubscribe, List-Unsubscribe-Post and From,
 * each over-signed (h= names each once more than the message carries it).
 */
class ComplianceGateIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DATE = "Date: Mon, 07 Dec 2026 05:00:00 +0000\r\n";
    private static Path dir;
    private static SmtpSink sink;
    private static DaemonProcess daemon;
    private static String txt;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("compliance-gate-it");
        sink = SmtpSink.builder().start();
        DkimKey key = KeyGenerator.rsa(2048);
        txt = DnsRecord.of(key).txtValue();
        Path pem = dir.resolve("key.pem");
        KeyGenerator.writePem(key, pem);
        DaemonProcess.Builder b = DaemonProcess.in(dir.resolve("daemon"))
                .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                .set("sluice.spool.durability", "mmap")
                .set("sluice.bounce.secret", "it-secret-0123456789abcdef")
                .set("sluice.unsubscribe.url", "https://mail.example.test")
                .set("sluice.compliance.sender-id", "sluiceit");
        for (String mode : List.of("enforce", "fix", "report")) {
            b.set("sluice.dkim.domains." + mode + ".test.selectors.s1.key-file", pem)
                    .set("sluice.tenants." + mode + ".domains", mode + ".test")
                    .set("sluice.tenants." + mode + ".compliance", mode)
                    .set("sluice.api.tokens." + mode + ".sha256", ApiAuthIT.sha256(mode + "-token"))
                    .set("sluice.api.tokens." + mode + ".tenant", mode);
        }
        daemon = b.start();
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

    /* ------------------------------------------------------------------ SMTP */

    @Test
    void enforceRefusesNonCompliantMarketingMailOverSmtpAndPassesCompliantMailSignedOverTheUnsubscribeFields()
            throws Exception {
        SmtpDialogue.Reply refused = smtp("enforce", "smtp-enforce-bad@dest.test", "X-Sluice-Campaign: spring\r\n"
                + "From: News <news@enforce.test>\r\nSubject: sale\r\n\r\nbuy\r\n");
        assertEquals(550, refused.code(), refused.toString());
        assertTrue(refused.text().startsWith("5.7.1 Marketing mail refused by the compliance gate (enforce): "
                + "list-unsubscribe (no List-Unsubscribe"), refused.toString());
        assertTrue(refused.text().contains("date (no Date field); message-id (no Message-ID field)"), refused.toString());
        JsonNode event = daemon.events().await("refusal event", WAIT, e -> "ComplianceGate".equals(e.path("type").asText())
                && e.path("recipients").toString().contains("smtp-enforce-bad@"));
        assertEquals("refused", event.path("action").asText(), event.toString());
        assertEquals("list-unsubscribe,date,message-id", event.path("rule").asText(), event.toString());
        assertEquals("enforce", event.path("tenant").asText());
        assertEquals("spring", event.path("campaign").asText());

        SmtpDialogue.Reply ok = smtp("enforce", "smtp-enforce-ok@dest.test", "X-Sluice-Campaign: spring\r\n"
                + "From: News <news@enforce.test>\r\nTo: r@dest.test\r\nSubject: sale\r\n" + DATE
                + "Message-ID: <spring-1@enforce.test>\r\n"
                + "List-Unsubscribe: <https://enforce.test/unsubscribe/42>\r\n"
                + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\nbuy\r\n");
        assertEquals(250, ok.code(), ok.toString());
        byte[] got = received("smtp-enforce-ok@dest.test");
        assertSignedOverUnsubscribeFields(got, "enforce.test", "enforce-ok");
        assertTrue(text(got).contains("Feedback-ID: spring:enforce:marketing:sluiceit\r\n"), text(got));
    }

    @Test
    void fixAddsDateMessageIdAndSluicesOneClickPairOverSmtp() throws Exception {
        SmtpDialogue.Reply ok = smtp("fix", "smtp-fix@dest.test", "X-Sluice-Class: marketing\r\n"
                + "From: News <news@fix.test>\r\nTo: r@dest.test\r\nSubject: sale\r\n\r\nbuy\r\n");
        assertEquals(250, ok.code(), ok.toString());
        byte[] got = received("smtp-fix@dest.test");
        String t = text(got);
        assertTrue(t.contains("\r\nDate: ") && t.contains("\r\nMessage-ID: <"), t);
        assertTrue(Pattern.compile("(?m)^List-Unsubscribe: <https://mail\\.example\\.test/u/[^>]+>").matcher(t).find(), t);
        assertTrue(t.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), t);
        assertTrue(t.contains("Feedback-ID: :fix:marketing:sluiceit\r\n"), t);
        assertSignedOverUnsubscribeFields(got, "fix.test", "fix");
        JsonNode event = daemon.events().await("fix event", WAIT, e -> "ComplianceGate".equals(e.path("type").asText())
                && e.path("recipients").toString().contains("smtp-fix@"));
        assertEquals("fixed", event.path("action").asText(), event.toString());
        assertEquals("list-unsubscribe,date,message-id", event.path("rule").asText(), event.toString());

        // what fix cannot repair is refused: a List-Unsubscribe of the client's own without https
        SmtpDialogue.Reply refused = smtp("fix", "smtp-fix-bad@dest.test", "X-Sluice-Campaign: c\r\nFrom: news@fix.test\r\n"
                + "List-Unsubscribe: <mailto:u@fix.test>\r\n\r\nb\r\n");
        assertEquals(550, refused.code(), refused.toString());
        assertTrue(refused.text().contains("list-unsubscribe (List-Unsubscribe has no <https://...> URI); "
                + "list-unsubscribe-post (no List-Unsubscribe-Post"), refused.toString());
    }

    @Test
    void reportAcceptsNonCompliantMailAndEmitsAnEvent() throws Exception {
        SmtpDialogue.Reply ok = smtp("report", "smtp-report@dest.test", "X-Sluice-Campaign: autumn\r\n"
                + "From: news@report.test\r\nSubject: s\r\n\r\nb\r\n");
        assertEquals(250, ok.code(), ok.toString());
        JsonNode event = daemon.events().await("report event", WAIT, e -> "ComplianceGate".equals(e.path("type").asText())
                && e.path("recipients").toString().contains("smtp-report@"));
        assertEquals("reported", event.path("action").asText(), event.toString());
        assertEquals("list-unsubscribe,date,message-id", event.path("rule").asText(), event.toString());
        assertTrue(event.path("note").asText().contains("no Date field"), event.toString());
        assertTrue(text(received("smtp-report@dest.test")).contains("Feedback-ID: autumn:report:marketing:sluiceit"));
    }

    @Test
    void transactionalMailPassesTheGateUntouched() throws Exception {
        SmtpDialogue.Reply ok = smtp("enforce", "smtp-tx@dest.test", "X-Sluice-Campaign: resets\r\n"
                + "X-Sluice-Class: transactional\r\nFrom: account@enforce.test\r\nSubject: reset\r\n\r\nb\r\n");
        assertEquals(250, ok.code(), ok.toString());
        assertFalse(text(received("smtp-tx@dest.test")).contains("Feedback-ID"));
    }

    /* ------------------------------------------------------------------ HTTP */

    @Test
    void theGateAnswersHttpWith422NamingTheRulesOrAcceptsPerMode() throws Exception {
        String plain = "{\"envelope_sender\":\"bounce@%s.test\",\"recipients\":[{\"email\":\"%s\"}],\"campaign\":\"winter\","
                + "\"content\":{\"from\":\"News <news@%s.test>\",\"subject\":\"sale\",\"text_body\":\"buy\"}}";
        HttpResponse<String> refused = inject("enforce", String.format(plain, "enforce", "http-enforce@dest.test", "enforce"));
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(refused.body());
        assertEquals("/problems/non-compliant", problem.path("type").asText(), refused.body());
        assertEquals("list-unsubscribe", problem.path("invalid_params").path(0).path("name").asText(), refused.body());
        assertEquals(1, problem.path("invalid_params").size(), "the composer writes Date and Message-ID: " + refused.body());

        HttpResponse<String> fixed = inject("fix", String.format(plain, "fix", "http-fix@dest.test", "fix"));
        assertEquals(202, fixed.statusCode(), fixed.body());
        byte[] got = received("http-fix@dest.test");
        assertSignedOverUnsubscribeFields(got, "fix.test", "http-fix");

        HttpResponse<String> reported = inject("report", String.format(plain, "report", "http-report@dest.test", "report"));
        assertEquals(202, reported.statusCode(), reported.body());
        JsonNode event = daemon.events().await("report event", WAIT, e -> "ComplianceGate".equals(e.path("type").asText())
                && e.path("recipients").toString().contains("http-report@"));
        assertEquals("reported", event.path("action").asText(), event.toString());

        String transactional = String.format(plain, "enforce", "http-tx@dest.test", "enforce")
                .replace("\"campaign\":\"winter\"", "\"campaign\":\"winter\",\"class\":\"transactional\"");
        assertEquals(202, inject("enforce", transactional).statusCode());
    }

    /* ------------------------------------------------------------------ helpers */

    private static SmtpDialogue.Reply smtp(String tenant, String rcpt, String message) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            assertEquals(250, smtp.command("MAIL FROM:<bounce@" + tenant + ".test>").code());
            assertEquals(250, smtp.command("RCPT TO:<" + rcpt + ">").code());
            return smtp.data("X-Sluice-Tenant: " + tenant + "\r\n" + message);
        }
    }

    private static HttpResponse<String> inject(String tenant, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                .header("Authorization", "Bearer " + tenant + "-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] received(String rcpt) throws InterruptedException {
        return SinkWaits.await(sink, rcpt, WAIT, m -> m.rcptTo().contains(rcpt)).content();
    }

    private static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Both verifiers pass the author signature; its h= names From, List-Unsubscribe and
     * List-Unsubscribe-Post each once more than the message carries them (over-signed), and
     * Feedback-ID; changing the List-Unsubscribe URI breaks the signature for both.
     */
    private static void assertSignedOverUnsubscribeFields(byte[] message, String domain, String what) throws Exception {
        DkimSigningIT.Verifier.DKIMPY.requireAvailable();
        DkimSigningIT.Verifier.OPENDKIM.requireAvailable();
        DkimSigningIT.Expected expected = new DkimSigningIT.Expected(domain, "s1", txt);
        for (DkimSigningIT.Verifier v : DkimSigningIT.Verifier.values()) {
            v.assertPasses(what, message, expected);
        }
        String headers = text(message).substring(0, text(message).indexOf("\r\n\r\n") + 2);
        List<String> h = signedHeaders(headers);
        for (String field : List.of("from", "list-unsubscribe", "list-unsubscribe-post", "feedback-id")) {
            long present = Pattern.compile("(?im)^" + field + ":").matcher(headers).results().count();
            assertEquals(1, present, field + " in\n" + headers);
            assertEquals(present + 1, h.stream().filter(field::equals).count(), field + " over-signed in h=" + h);
        }
        byte[] altered = text(message).replaceFirst("(?m)^(List-Unsubscribe: <https://[a-z.]+/)", "$1x")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (DkimSigningIT.Verifier v : DkimSigningIT.Verifier.values()) {
            v.assertFails(what + " with List-Unsubscribe altered", altered, expected);
        }
    }

    private static List<String> signedHeaders(String headers) {
        Matcher sig = Pattern.compile("(?m)^DKIM-Signature:((?:.*\\r\\n[ \\t])*.*)").matcher(headers);
        assertTrue(sig.find(), headers);
        Matcher h = Pattern.compile("(?:^|;)h=([^;]*)").matcher(sig.group(1).replaceAll("\\s", ""));
        assertTrue(h.find(), sig.group(1));
        List<String> out = new ArrayList<>();
        for (String name : h.group(1).split(":")) {
            out.add(name.toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }
}
