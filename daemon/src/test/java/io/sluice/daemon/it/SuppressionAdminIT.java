package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API over the suppression list, against the real daemon: bearer token required;
 * add, query, remove and history; a 100k-row CSV import in one streamed request, and export;
 * and "no means no" at dispatch — a queued delivery whose recipient is suppressed meanwhile is
 * not sent but journaled final.
 */
class SuppressionAdminIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "admin-token-for-tests";

    @Test
    void operatorsManageTheListAndQueuedMailObeysIt(@TempDir Path dir) throws Exception {
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()
                .rcptReply("waiting@dest.test", "450 4.2.1 <waiting@dest.test>: Mailbox busy, try again later");
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + mx.port())
                     .set("sluice.admin.token", TOKEN)
                     .set("sluice.delivery.retry-initial", "2s")
                     .set("sluice.delivery.retry-max", "2s")
                     .start()) {
            // no token, wrong token: refused
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    FeedbackLoopIT.local(daemon, "/admin/suppressions/default/a@b.test")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());

            // add, query, remove, history
            assertEquals(201, call(daemon, "POST", "/admin/suppressions",
                    "{\"tenant\":\"acme\",\"address\":\"Ops@Dest.test\",\"reason\":\"manual\",\"note\":\"asked by phone\"}").statusCode());
            HttpResponse<String> found = call(daemon, "GET", "/admin/suppressions/acme/ops@dest.test", null);
            assertEquals(200, found.statusCode(), found.body());
            assertEquals("manual", JSON.readTree(found.body()).path("entry").path("reason").asText());
            assertEquals(404, call(daemon, "GET", "/admin/suppressions/default/ops@dest.test", null).statusCode(),
                    "another tenant's list");
            assertEquals(200, call(daemon, "DELETE", "/admin/suppressions/acme/ops@dest.test?note=mistake", null).statusCode());
            JsonNode history = JSON.readTree(call(daemon, "GET", "/admin/suppressions/acme/ops@dest.test/history", null).body());
            assertEquals("remove", history.get(0).path("action").asText());
            assertEquals("mistake", history.get(0).path("note").asText());
            assertEquals("asked by phone", history.get(1).path("note").asText());
            assertEquals(400, call(daemon, "POST", "/admin/suppressions", "{\"address\":\"not-an-address\"}").statusCode());

            // 100k rows in one request
            StringBuilder csv = new StringBuilder("address,reason,note\n");
            for (int i = 0; i < 100_000; i++) {
                csv.append("user").append(i).append("@import.test,hard-bounce,from the old ESP\n");
            }
            csv.append("broken-row-without-at,manual,x\n");
            HttpResponse<String> imported = call(daemon, "POST", "/admin/suppressions/import?tenant=default", csv.toString());
            assertEquals(200, imported.statusCode(), imported.body());
            JsonNode result = JSON.readTree(imported.body());
            assertEquals(100_000, result.path("imported").asLong(), imported.body());
            assertEquals(1, result.path("rejected").asLong());
            assertEquals(550, FeedbackLoopIT.rcptReply(daemon, "user99999@import.test").code());
            // the HTTP injection API reports a suppressed recipient as failed and queues the rest
            HttpResponse<String> injected = FeedbackLoopIT.admin(daemon, "POST", "/api/v1/inject", "{\"envelope_sender\":\"news@sender.test\","
                    + "\"recipients\":[{\"email\":\"user7@import.test\"},{\"email\":\"fresh@dest.test\"}],"
                    + "\"content\":{\"from\":\"news@sender.test\",\"subject\":\"hi\",\"text_body\":\"hello\"}}");
            assertEquals(202, injected.statusCode(), injected.body());
            JsonNode inj = JSON.readTree(injected.body());
            assertEquals(1, inj.path("success_count").asInt(), injected.body());
            assertEquals("user7@import.test", inj.path("failed_recipients").get(0).path("email").asText());
            assertEquals("suppressed (hard-bounce)", inj.path("failed_recipients").get(0).path("reason").asText());
            HttpResponse<String> export = call(daemon, "GET", "/admin/suppressions/export?tenant=default", null);
            assertEquals(200, export.statusCode());
            assertEquals(100_001, export.body().lines().count(), "header + 100k rows");
            assertTrue(export.body().contains("user12345@import.test,hard-bounce,"));

            // queued, then suppressed: not sent, journaled final, a Bounce event says why
            FeedbackLoopIT.inject(daemon, "news@sender.test", List.of("waiting@dest.test"));
            EventLogReader events = daemon.events();
            events.await("first deferral", Duration.ofSeconds(30), EventLogReader.type("TransientFailure", "waiting@dest.test"));
            assertEquals(201, call(daemon, "POST", "/admin/suppressions",
                    "{\"address\":\"waiting@dest.test\",\"reason\":\"complaint\"}").statusCode());
            JsonNode dropped = events.await("dropped at dispatch", Duration.ofSeconds(30),
                    EventLogReader.type("Bounce", "waiting@dest.test"));
            assertEquals("suppressed", dropped.path("bounce_category").asText(), dropped.toString());
            assertTrue(mx.received().stream().noneMatch(r -> r.recipients().contains("waiting@dest.test")));
        }
    }

    private static HttpResponse<String> call(DaemonProcess daemon, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(FeedbackLoopIT.local(daemon, path))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", body.startsWith("{") ? "application/json" : "text/csv");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
