package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bearer tokens on the injection API: hashed in config, bound to a tenant and its pools. */
class ApiAuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"envelope_sender\":\"a@src.test\",\"recipients\":[{\"email\":\"b@x.test\"}],"
            + "\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}%s}";

    static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    static HttpResponse<String> post(DaemonProcess daemon, String token, String extra) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(String.format(BODY, extra)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertEquals(status, p.path("status").asInt());
        if (field != null) {
            assertEquals(field, p.path("invalid_params").path(0).path("name").asText(), r.body());
        }
    }

    @Test
    void tokensDecideWhoMaySendForWhichTenantAndPool(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.builder().start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.api.require-tokens", true)
                     .set("sluice.ingress.pools", "default,bulk,transactional")
                     .set("sluice.api.tokens.shop.sha256", sha256("shop-token"))
                     .set("sluice.api.tokens.shop.tenant", "shop")
                     .set("sluice.api.tokens.shop.pools", "transactional")
                     .set("sluice.api.tokens.old.sha256", sha256("old-token"))
                     .set("sluice.api.tokens.old.tenant", "shop")
                     .set("sluice.api.tokens.old.expires-at", "2020-01-01T00:00:00Z")
                     .set("sluice.api.tokens.other.sha256", sha256("other-token"))
                     .set("sluice.api.tokens.other.tenant", "other")
                     .start()) {
            HttpResponse<String> absent = post(daemon, null, "");
            assertProblem(absent, 401, null);
            assertTrue(absent.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertProblem(post(daemon, "wrong-token", ""), 401, null);
            assertProblem(post(daemon, "old-token", ""), 401, null);
            assertEquals(202, post(daemon, "shop-token", "").statusCode());
            assertEquals(202, post(daemon, "shop-token", ",\"tenant\":\"shop\",\"pool\":\"transactional\"").statusCode());
            assertProblem(post(daemon, "shop-token", ",\"tenant\":\"other\""), 403, "tenant");
            assertProblem(post(daemon, "shop-token", ",\"pool\":\"bulk\""), 403, "pool");
            assertProblem(post(daemon, "shop-token", ",\"pool\":\"nowhere\""), 400, "pool");
        }
    }

    @Test
    void aNonLoopbackBindDemandsATokenEvenWhenNotRequired(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.builder().start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("micronaut.server.host", "0.0.0.0")
                     .set("sluice.api.tokens.app.sha256", sha256("app-token"))
                     .set("sluice.admin.token-sha256", sha256("admin-token")) // off loopback: needed to start
                     .start()) {
            assertProblem(post(daemon, null, ""), 401, null);
            assertEquals(202, post(daemon, "app-token", "").statusCode());
            assertEquals(200, daemon.healthStatus(), "health stays open");
        }
    }
}
