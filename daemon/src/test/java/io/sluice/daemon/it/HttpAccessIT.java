package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 18 item 2, against the daemon: the admin token may be configured as its SHA-256 only,
 * and {@code sluice.metrics.require-token} puts {@code /prometheus} behind it.
 */
class HttpAccessIT {
    private final HttpClient http = HttpClient.newHttpClient();

    private int get(DaemonProcess daemon, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theAdminTokenAsAHashGuardsAdminAndMetrics(@TempDir Path dir) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.in(dir)
                .set("sluice.admin.token-sha256", ApiAuthIT.sha256("ops-token"))
                .set("sluice.metrics.require-token", true)
                .start()) {
            assertEquals(401, get(daemon, "/prometheus", null), "metrics without the token");
            assertEquals(401, get(daemon, "/prometheus", "wrong"), "metrics with a wrong token");
            assertEquals(200, get(daemon, "/prometheus", "ops-token"), "metrics with the token");
            assertEquals(401, get(daemon, "/admin/suppressions/default/a@b.test", null), "admin without the token");
            assertEquals(404, get(daemon, "/admin/suppressions/default/a@b.test", "ops-token"), "admin with the token");
            assertEquals(200, daemon.healthStatus(), "health stays open");
        }
    }
}
