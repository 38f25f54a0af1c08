package io.sluice.daemon.operate.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The admin API over HTTP: one call per method, the bearer token on every request. A refusal
 * (status 400 and up) becomes a {@link CtlException} carrying the server's {@code detail}; no
 * answer at all becomes exit code 3.
 */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The answer to one call: status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new CtlException(CtlException.REFUSED, "the server's answer is not JSON: " + abbreviate(body));
            }
        }
    }

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return ok(send("GET", path, null, null)).json();
    }

    JsonNode post(String path, Object body) {
        try {
            return ok(send("POST", path, "application/json", body == null ? "" : JSON.writeValueAsString(body))).json();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any status: the caller decides what a 404 means. */
    Answer send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new CtlException(CtlException.CANNOT_CONNECT, "cannot reach " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(CtlException.CANNOT_CONNECT, "interrupted");
        } catch (IllegalArgumentException e) {
            throw new CtlException(2, "bad URL " + base + path + ": " + e.getMessage());
        }
    }

    /** Passes 2xx through; anything else is the server saying no. */
    static Answer ok(Answer a) {
        if (a.status() >= 200 && a.status() < 300) {
            return a;
        }
        String detail = a.body();
        try {
            JsonNode n = JSON.readTree(a.body());
            if (n != null && n.hasNonNull("detail")) {
                detail = n.get("detail").asText();
            } else if (n != null && n.hasNonNull("message")) {
                detail = n.get("message").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: show the text
        }
        throw new CtlException(CtlException.REFUSED, "server answered " + a.status() + ": " + abbreviate(detail));
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
}
