package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.testing.SmtpSink;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 3: a tenant gets mail signed only for its own domains. Tenants a and b each own
 * a domain Sluice has a DKIM key for; a's token, a's submission user and a relay client naming
 * tenant a cannot send (and so cannot get a signature) as b. Tenant c, in {@code unsigned} mode,
 * gets such mail through without an author signature.
 */
class TenantDomainsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "pw-of-user-a";
    private static Path dir;
    private static SmtpSink sink;
    private static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tenant-domains-it");
        sink = SmtpSink.builder().start();
        DkimKey key = KeyGenerator.rsa(2048);
        Path pem = dir.resolve("key.pem");
        KeyGenerator.writePem(key, pem);
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        daemon = DaemonProcess.in(dir.resolve("daemon"))
                .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                .set("sluice.spool.durability", "mmap")
                .set("sluice.dkim.domains.a.test.selectors.s1.key-file", pem)
                .set("sluice.dkim.domains.b.test.selectors.s1.key-file", pem)
                .set("sluice.tenants.a.domains", "a.test")
                .set("sluice.tenants.b.domains", "b.test")
                .set("sluice.tenants.c.foreign-domains", "unsigned")
                .set("sluice.tenants.a.relay-networks", "127.0.0.2/32")
                .set("sluice.api.tokens.ta.sha256", ApiAuthIT.sha256("token-a"))
                .set("sluice.api.tokens.ta.tenant", "a")
                .set("sluice.api.tokens.tc.sha256", ApiAuthIT.sha256("token-c"))
                .set("sluice.api.tokens.tc.tenant", "c")
                .set("sluice.submission.users.ua.password-hash", OpenBSDBCrypt.generate("2b", PASSWORD.toCharArray(), salt, 10))
                .set("sluice.submission.users.ua.tenant", "a")
                .start();
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

    @Test
    void tenantATokenCannotGetMailSignedForTenantBsDomainOverHttp() throws Exception {
        HttpResponse<String> structured = inject("token-a", structured("news@b.test", "http-b@dest.test"));
        assertForeign(structured, "content.from", "tenant a may not send as b.test");

        HttpResponse<String> raw = inject("token-a", "{\"envelope_sender\":\"news@a.test\","
                + "\"recipients\":[{\"email\":\"http-raw-b@dest.test\"}],"
                + "\"content\":\"From: Sneaky <news@b.test>\\r\\nTo: x@dest.test\\r\\nSubject: s\\r\\n\\r\\nbody\\r\\n\"}");
        assertForeign(raw, "content", "the From field: tenant a may not send as b.test");

        HttpResponse<String> sender = inject("token-a", structured("news@a.test", "http-env-b@dest.test")
                .replace("\"envelope_sender\":\"news@a.test\"", "\"envelope_sender\":\"bounce@b.test\""));
        assertForeign(sender, "envelope_sender", "tenant a may not send as b.test");

        HttpResponse<String> own = inject("token-a", structured("news@a.test", "http-a@dest.test"));
        assertEquals(202, own.statusCode(), own.body());
        SmtpSink.Message got = SinkWaits.await(sink, "http-a@", Duration.ofSeconds(30), m -> m.rcptTo().contains("http-a@dest.test"));
        assertEquals(List.of("a.test"), signers(got.contentAsString()), got.contentAsString());
    }

    @Test
    void tenantASubmissionUserCannotSendAsTenantB() throws Exception {
        try (SubmissionIT.TlsDialogue s = SubmissionIT.TlsDialogue.open(daemon.submissionPort())) {
            s.command("EHLO client.test");
            s.command("STARTTLS");
            s.startTls();
            s.command("EHLO client.test");
            assertTrue(s.command("AUTH PLAIN " + plain("ua", PASSWORD)).startsWith("235"));
            String mailFrom = s.command("MAIL FROM:<news@b.test>");
            assertTrue(mailFrom.startsWith("550 5.7.1 <news@b.test>: tenant a may not send as b.test"), mailFrom);

            List<String> replies = s.pipeline("MAIL FROM:<news@a.test>", "RCPT TO:<sub-b@dest.test>", "DATA");
            assertTrue(replies.get(2).startsWith("354"), replies.toString());
            String data = s.command("From: <news@b.test>\r\nSubject: as b\r\n\r\nbody\r\n.");
            assertTrue(data.startsWith("550 5.7.1 From: tenant a may not send as b.test (its domains: a.test)"), data);

            replies = s.pipeline("MAIL FROM:<news@a.test>", "RCPT TO:<sub-a@dest.test>", "DATA");
            assertTrue(replies.get(2).startsWith("354"), replies.toString());
            String ok = s.command("From: <news@a.test>\r\nSubject: as a\r\n\r\nbody\r\n.");
            assertTrue(ok.startsWith("250 2.0.0"), ok);
        }
        SmtpSink.Message got = SinkWaits.await(sink, "sub-a@", Duration.ofSeconds(30), m -> m.rcptTo().contains("sub-a@dest.test"));
        assertEquals(List.of("a.test"), signers(got.contentAsString()), got.contentAsString());
    }

    @Test
    void relayClientsCannotBorrowAnotherTenantsDomain() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            smtp.command("MAIL FROM:<news@a.test>");
            smtp.command("RCPT TO:<relay-b@dest.test>");
            SmtpDialogue.Reply labelled = smtp.data("X-Sluice-Tenant: a\r\nFrom: news@b.test\r\nSubject: s\r\n\r\nb\r\n");
            assertEquals(550, labelled.code(), labelled.toString());
            assertTrue(labelled.text().contains("5.7.1 From: tenant a may not send as b.test"), labelled.toString());
            // the default tenant declares no domains: it keeps every domain nobody declared, not b's
            smtp.command("MAIL FROM:<bounce@b.test>");
            smtp.command("RCPT TO:<relay-b@dest.test>");
            SmtpDialogue.Reply unlabelled = smtp.data("From: news@src.test\r\nSubject: s\r\n\r\nb\r\n");
            assertEquals(550, unlabelled.code(), unlabelled.toString());
            assertTrue(unlabelled.text().contains("5.7.1 MAIL FROM: tenant default may not send as b.test (it belongs to tenant b)"),
                    unlabelled.toString());
        }
    }

    @Test
    void clientsOfATenantsRelayNetworkSendAsThatTenantOnly() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort(), "127.0.0.2")) {
            smtp.command("EHLO app-a.test");
            smtp.command("MAIL FROM:<news@a.test>");
            smtp.command("RCPT TO:<net-a@dest.test>");
            SmtpDialogue.Reply asB = smtp.data("X-Sluice-Tenant: b\r\nFrom: news@b.test\r\nSubject: s\r\n\r\nb\r\n");
            assertEquals(550, asB.code(), asB.toString());
            assertTrue(asB.text().contains("5.7.1 X-Sluice-Tenant: clients of sluice.tenants.a.relay-networks send for tenant a only"),
                    asB.toString());
            smtp.command("MAIL FROM:<news@a.test>");
            smtp.command("RCPT TO:<net-a@dest.test>");
            SmtpDialogue.Reply unlabelled = smtp.data("From: news@b.test\r\nSubject: s\r\n\r\nb\r\n");
            assertTrue(unlabelled.text().contains("5.7.1 From: tenant a may not send as b.test"), unlabelled.toString());
            smtp.command("MAIL FROM:<news@a.test>");
            smtp.command("RCPT TO:<net-a@dest.test>");
            assertEquals(250, smtp.data("From: news@a.test\r\nSubject: s\r\n\r\nb\r\n").code());
        }
        SmtpSink.Message got = SinkWaits.await(sink, "net-a@", Duration.ofSeconds(30), m -> m.rcptTo().contains("net-a@dest.test"));
        assertEquals(List.of("a.test"), signers(got.contentAsString()), got.contentAsString());
    }

    @Test
    void unsignedModeAcceptsForeignMailAndLeavesTheAuthorSignatureOff() throws Exception {
        HttpResponse<String> r = inject("token-c", structured("news@b.test", "unsigned-b@dest.test")
                .replace("news@a.test", "bounce@c.test"));
        assertEquals(202, r.statusCode(), r.body());
        SmtpSink.Message got = SinkWaits.await(sink, "unsigned-b@", Duration.ofSeconds(30),
                m -> m.rcptTo().contains("unsigned-b@dest.test"));
        assertEquals(List.of(), signers(got.contentAsString()), got.contentAsString());
    }

    /* ------------------------------------------------------------------ helpers */

    private static String structured(String from, String rcpt) {
        return "{\"envelope_sender\":\"news@a.test\",\"recipients\":[{\"email\":\"" + rcpt + "\"}],"
                + "\"content\":{\"from\":\"" + from + "\",\"subject\":\"hi\",\"text_body\":\"hello\"}}";
    }

    private static HttpResponse<String> inject(String token, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertForeign(HttpResponse<String> r, String field, String reason) throws Exception {
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        JsonNode p = JSON.readTree(r.body());
        assertEquals("/problems/foreign-domain", p.path("type").asText(), r.body());
        assertEquals(field, p.path("invalid_params").path(0).path("name").asText(), r.body());
        assertTrue(p.path("invalid_params").path(0).path("reason").asText().startsWith(reason), r.body());
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static final Pattern SIG = Pattern.compile("(?m)^DKIM-Signature:((?:.*\\r\\n[ \\t])*.*)");

    /** d= of every DKIM-Signature field. */
    static List<String> signers(String message) {
        int end = message.indexOf("\r\n\r\n");
        Matcher m = SIG.matcher(end < 0 ? message : message.substring(0, end));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            Matcher d = Pattern.compile("(?:^|;)d=([^;]*)").matcher(m.group(1).replaceAll("\\s", ""));
            out.add(d.find() ? d.group(1) : "?");
        }
        return out;
    }
}
