package io.sluice.daemon.it;

import io.sluice.daemon.outcome.tokens.TokenSigner;
import io.sluice.daemon.outcome.tokens.UnsubscribeTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 2, against the daemon: the public listener ({@code sluice.http.public.port})
 * serves one-click unsubscribe and nothing else; the operator listener refuses a foreign Host
 * (DNS rebinding) and a cross-origin state-changing request (CSRF), but never the RFC 8058 POST.
 */
class PublicListenerIT {
    private static final String SECRET = "public-listener-secret-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    private static DaemonProcess.Builder daemon(Path dir, int publicPort) throws Exception {
        return DaemonProcess.in(dir)
                .set("sluice.http.public.port", publicPort)
                .set("sluice.bounce.domain", "bounces.example.test")
                .set("sluice.bounce.secret", SECRET)
                .set("sluice.unsubscribe.enabled", true)
                .set("sluice.unsubscribe.url", "https://mail.example.test")
                .set("sluice.admin.token", "ops-token")
                .set("sluice.api.tokens.app.sha256", ApiAuthIT.sha256("app-token"));
    }

    /** A raw HTTP/1.1 exchange, so that Host and Origin are exactly what a browser would send. */
    private static int raw(int port, String method, String path, String headers, String body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\n" + headers + "Content-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void thePublicListenerServesOnlyThePublicPaths(@TempDir Path dir) throws Exception {
        int publicPort = DaemonProcess.freePort();
        try (DaemonProcess daemon = daemon(dir, publicPort).start()) {
            String auth = "Authorization: Bearer ops-token\r\nHost: 127.0.0.1\r\n";
            for (String path : new String[] {"/admin/queues", "/admin/suppressions/default/a@dest.test", "/prometheus",
                    "/health", "/status", "/api/v1/inject", "/u/../admin/queues"}) {
                assertEquals(404, raw(publicPort, "GET", path, auth, ""), "GET " + path + " on the public listener");
            }
            assertEquals(404, raw(publicPort, "POST", "/api/v1/inject",
                    "Authorization: Bearer app-token\r\nHost: x\r\nContent-Type: application/json\r\n", "{}"));
            assertEquals(404, raw(publicPort, "DELETE", "/admin/suppressions/default/a@dest.test", auth, ""));
            // the same admin request on the operator listener works
            assertEquals(200, raw(daemon.httpPort(), "GET", "/admin/queues", auth, ""));

            String token = UnsubscribeTokens.issue(new TokenSigner(SECRET), "default", "click@dest.test");
            assertEquals(200, raw(publicPort, "GET", "/u/" + token, "Host: mail.example.test\r\n", ""), "the page");
            assertEquals(200, raw(publicPort, "POST", "/u/" + token, "Host: mail.example.test\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n", "List-Unsubscribe=One-Click"), "RFC 8058 POST");
            HttpResponse<String> entry = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort()
                    + "/admin/suppressions/default/click@dest.test")).header("Authorization", "Bearer ops-token").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, entry.statusCode(), entry.body());
            assertTrue(entry.body().contains("unsubscribe"), entry.body());
            assertEquals(200, daemon.healthStatus(), "the daemon is fine");
        }
    }

    @Test
    void theOperatorListenerRefusesRebindingAndCrossOriginButNotTheOneClickPost(@TempDir Path dir) throws Exception {
        try (DaemonProcess daemon = daemon(dir, DaemonProcess.freePort()).start()) {
            int port = daemon.httpPort();
            String auth = "Authorization: Bearer ops-token\r\n";
            assertEquals(403, raw(port, "GET", "/admin/queues", auth + "Host: evil.example:" + port + "\r\n", ""),
                    "a rebound name");
            assertEquals(403, raw(port, "DELETE", "/admin/suppressions/default/a@dest.test",
                    auth + "Host: 127.0.0.1:" + port + "\r\nOrigin: https://evil.example\r\n", ""), "a cross-origin DELETE");
            assertEquals(403, raw(port, "POST", "/api/v1/inject", "Authorization: Bearer app-token\r\nHost: 127.0.0.1:" + port
                    + "\r\nOrigin: null\r\nContent-Type: text/plain\r\n", "{}"), "a sandboxed page's POST");
            assertEquals(404, raw(port, "DELETE", "/admin/suppressions/default/a@dest.test",
                    auth + "Host: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port + "\r\n", ""),
                    "same origin: through to the admin API (nothing to delete)");
            assertEquals(200, raw(port, "GET", "/admin/queues", auth + "Host: localhost:" + port + "\r\n", ""));

            String token = UnsubscribeTokens.issue(new TokenSigner(SECRET), "default", "other@dest.test");
            assertEquals(200, raw(port, "POST", "/u/" + token, "Host: mail.example.test\r\nOrigin: https://mail.google.com\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n", "List-Unsubscribe=One-Click"),
                    "the RFC 8058 POST is not a CSRF target: it passes with a foreign Host and Origin");
        }
    }
}
