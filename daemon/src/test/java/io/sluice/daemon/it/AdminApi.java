package io.sluice.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The daemon's admin API as the tests use it: raw calls for tests about the API itself, and
 * typed reads of the engine's state ({@code /admin/queues}, {@code /admin/warmup},
 * {@code /admin/suspensions}) for tests that assert on what the engine holds back instead of
 * sleeping and counting what did not arrive.
 */
final class AdminApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String token;

    AdminApi(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same API with another bearer token (or none). */
    AdminApi withToken(String other) {
        return new AdminApi(base, other);
    }

    /** Any method, any status: for tests of the API's answers themselves. */
    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET, expecting 200 and JSON. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return ok(call("GET", path, null));
    }

    /** POST a JSON body (or none), expecting 200 and JSON. */
    JsonNode post(String path, String json) throws IOException, InterruptedException {
        return ok(call("POST", path, json));
    }

    static JsonNode ok(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.request().method() + " " + r.uri() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** Deliveries waiting in scheduled queues (not ready on a path, not in flight). */
    long waiting() throws IOException, InterruptedException {
        return get("/admin/queues").path("waiting").asLong();
    }

    /** Deliveries on paths' ready queues, summed over every path. */
    long ready() throws IOException, InterruptedException {
        long n = 0;
        for (JsonNode p : get("/admin/queues").path("paths")) {
            n += p.path("ready").asLong();
        }
        return n;
    }

    /** Deliveries waiting for a retry timer. */
    long timers() throws IOException, InterruptedException {
        return get("/admin/queues").path("timers").asLong();
    }

    /** {@code /admin/warmup}'s entry for one source (by name), or a missing node. */
    JsonNode warmup(String source) throws IOException, InterruptedException {
        for (JsonNode s : get("/admin/warmup")) {
            if (source.equals(s.path("source").asText())) {
                return s;
            }
        }
        return JSON.missingNode();
    }

    /** Whether a hold with exactly this scope is in force. */
    boolean holding(String scope) throws IOException, InterruptedException {
        for (JsonNode h : get("/admin/suspensions")) {
            if (scope.equals(h.path("scope").asText())) {
                return true;
            }
        }
        return false;
    }
}
