package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.testing.SmtpSink;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracking through the packaged daemon: an HTML message injected over HTTP reaches the sink with
 * its links and a pixel pointing at the tenant's tracking host, DKIM-signed over the rewritten
 * message (dkimpy verifies it); curl, sent to that host name on the daemon's HTTP port, follows a
 * link (302 to the original URL) and loads the pixel; the events say Click and Open, with
 * HEAD requests and curl's own user agent flagged as machine traffic; forged and tampered tokens
 * get 404 and make no event. The recipient's last human open and click (issue 20 item 3) are in the
 * events and on {@code /admin/engagement}, and still there after a restart; {@code /admin/rates}
 * counts the opens and clicks beside the delivery, machine traffic apart.
 */
class TrackingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final Pattern CLICK = Pattern.compile("href=\"(http://track\\.shop\\.test/t/c/[^\"]+)\"");
    private static final Pattern PIXEL = Pattern.compile("<img src=\"(http://track\\.shop\\.test/t/o/[^\"]+)\"");

    /** What curl said: status code, redirect target, and the content type. */
    private record Curl(int status, String location, String contentType) {
    }

    private static Curl curl(DaemonProcess daemon, String url, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null",
                "-w", "%{http_code} %{redirect_url} %{content_type}",
                "--connect-to", "track.shop.test:80:127.0.0.1:" + daemon.httpPort()));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl finished");
        String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split(" ", -1);
        return new Curl(Integer.parseInt(out[0]), out[1], out.length > 2 ? out[2] : "");
    }

    private static void requireCurl() throws Exception {
        boolean ok;
        try {
            ok = new ProcessBuilder("curl", "--version").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            ok = false;
        }
        if (!ok) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("curl not available (apt-get install curl; scripts/install-test-deps.sh)");
            }
            Assumptions.abort("curl not available");
        }
    }

    private static String sluicectl(DaemonProcess daemon, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of("..", "bin", "sluicectl").toAbsolutePath().normalize().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().put("SLUICE_JAR", DaemonProcess.jar().toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("SLUICE_URL", "http://127.0.0.1:" + daemon.httpPort());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static void assertEngaged(DaemonProcess daemon, String lastOpen, String lastClick) throws Exception {
        JsonNode e = daemon.admin().get("/admin/engagement?recipient=reader@dest.test");
        assertEquals("default", e.path("tenant").asText(), e.toString());
        assertTrue(e.path("engaged").asBoolean(), e.toString());
        assertEquals(java.time.Instant.parse(lastOpen), java.time.Instant.parse(e.path("last_open").asText()), e.toString());
        assertEquals(java.time.Instant.parse(lastClick), java.time.Instant.parse(e.path("last_click").asText()),
                e.toString());
    }

    @Test
    void linksAndPixelAreRewrittenSignedAndCountedWhenFetchedWithCurl(@TempDir Path dir) throws Exception {
        requireCurl();
        DkimSigningIT.Verifier.DKIMPY.requireAvailable();
        DkimKey key = KeyGenerator.rsa(2048);
        Path pem = dir.resolve("shop.pem");
        KeyGenerator.writePem(key, pem);
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.bounce.secret", "tracking-it-secret-0123456789")
                     // opted in by campaign; the tracking host is a name curl sends to the daemon's port
                     .set("sluice.campaigns.spring.tracking.enabled", "true")
                     .set("sluice.tracking.url", "http://track.shop.test")
                     .set("sluice.tracking.scanner-window", "0s")
                     // each event as the fetch happens, in order: the several-links rule, which
                     // holds a click's event for its window, is TrackingProxyIT's and ClickBurstsTest's
                     .set("sluice.tracking.link-scanner-window", "0s")
                     .set("sluice.dkim.domains.shop.test.selectors.s1.key-file", pem)
                     .start()) {
            ObjectNode req = JSON.createObjectNode();
            req.put("envelope_sender", "bounces@shop.test");
            req.put("campaign", "spring");
            req.putArray("recipients").addObject().put("email", "reader@dest.test");
            req.putObject("content").put("from", "Shop <news@shop.test>").put("subject", "Sale")
                    .put("text_body", "Sale at https://www.shop.test/sale")
                    .put("html_body", "<html><body><p><a href=\"https://www.shop.test/sale?x=1&amp;y=2\">sale</a> "
                            + "<a href=\"mailto:help@shop.test\">help</a></p></body></html>");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(req.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());

            SmtpSink.Message m = SinkWaits.await(sink, "the tracked message", Duration.ofSeconds(60), SinkWaits.containing("Sale"));
            DkimSigningIT.Verifier.DKIMPY.assertPasses("the rewritten message", m.content(),
                    new DkimSigningIT.Expected("shop.test", "s1", DnsRecord.of(key).txtValue()));
            Multipart parts = (Multipart) new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(m.content())).getContent();
            assertEquals("Sale at https://www.shop.test/sale", ((String) parts.getBodyPart(0).getContent()).strip(),
                    "the text part is not rewritten");
            String html = (String) parts.getBodyPart(1).getContent();
            Matcher click = CLICK.matcher(html);
            Matcher pixel = PIXEL.matcher(html);
            assertTrue(click.find() && pixel.find(), html);
            assertTrue(html.contains("href=\"mailto:help@shop.test\""), html);

            // the engagement store learns the address from the Delivery event (its line is written after)
            Eventually.eventually("the Delivery event", Duration.ofSeconds(20),
                    () -> daemon.events().ofType("Delivery"), l -> !l.isEmpty());
            Curl followed = curl(daemon, click.group(1), "-A", FIREFOX);
            assertEquals(302, followed.status());
            assertEquals("https://www.shop.test/sale?x=1&y=2", followed.location());
            Curl loaded = curl(daemon, pixel.group(1), "-A", FIREFOX);
            assertEquals(200, loaded.status());
            assertEquals("image/gif", loaded.contentType());
            assertEquals(200, curl(daemon, pixel.group(1), "-I", "-A", FIREFOX).status(), "HEAD");
            assertEquals(302, curl(daemon, click.group(1)).status(), "curl's own user agent");

            String token = click.group(1).substring(click.group(1).lastIndexOf('/') + 1);
            String tampered = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
            assertEquals(404, curl(daemon, "http://track.shop.test/t/c/" + tampered).status());
            assertEquals(404, curl(daemon, "http://track.shop.test/t/c/forged.aaaaaaaaaaaaa").status());
            String openToken = pixel.group(1).substring(pixel.group(1).lastIndexOf('/') + 1);
            assertEquals(404, curl(daemon, "http://track.shop.test/t/c/" + openToken).status(), "an open token is no click");

            List<JsonNode> clicks = Eventually.eventually("two Click events", Duration.ofSeconds(20),
                    () -> daemon.events().ofType("Click"), l -> l.size() >= 2);
            List<JsonNode> opens = Eventually.eventually("two Open events", Duration.ofSeconds(20),
                    () -> daemon.events().ofType("Open"), l -> l.size() >= 2);
            assertEquals(2, clicks.size(), "no event for forged or tampered tokens: " + clicks);
            assertEquals(2, opens.size(), opens.toString());
            assertEquals("human", clicks.get(0).path("action").asText(), clicks.get(0).toString());
            assertEquals("browser", clicks.get(0).path("source").asText());
            assertEquals("link 0", clicks.get(0).path("note").asText());
            assertEquals("machine", clicks.get(1).path("action").asText());
            assertEquals("bot", clicks.get(1).path("reason").asText());
            assertEquals("human", opens.get(0).path("action").asText());
            assertEquals("head-request", opens.get(1).path("reason").asText());
            // item 3: the events tell the sender who engaged, and the admin API keeps the last human open and click
            assertEquals("reader@dest.test", clicks.get(0).path("recipient").asText(), clicks.get(0).toString());
            assertEquals("spring", clicks.get(0).path("campaign").asText());
            String lastClick = clicks.get(0).path("last_click").asText();
            assertEquals(clicks.get(0).path("timestamp").asText(), lastClick);
            assertTrue(clicks.get(0).path("last_open").isMissingNode(), "no open yet: " + clicks.get(0));
            String lastOpen = opens.get(0).path("last_open").asText();
            assertEquals(opens.get(0).path("timestamp").asText(), lastOpen);
            assertEquals(lastClick, opens.get(0).path("last_click").asText());
            assertEquals(lastOpen, opens.get(1).path("last_open").asText(), "a HEAD request moves nothing");
            assertEquals(lastClick, clicks.get(1).path("last_click").asText(), "curl's own user agent moves nothing");
            assertEngaged(daemon, lastOpen, lastClick);
            JsonNode page = daemon.admin().get("/admin/engagement/list?since=2000-01-01T00:00:00Z");
            assertEquals(1, page.path("recipients").size(), page.toString());
            assertTrue(page.has("next") && page.path("next").isNull(), "the last page says so: " + page);
            assertEquals(400, daemon.admin().call("GET", "/admin/engagement/list?since=yesterday", null).statusCode());
            HttpResponse<String> nobody = daemon.admin().call("GET", "/admin/engagement?recipient=nobody@dest.test", null);
            assertEquals(404, nobody.statusCode());
            JsonNode none = JSON.readTree(nobody.body());
            assertFalse(none.path("engaged").asBoolean(), nobody.body());
            assertTrue(none.has("last_open") && none.path("last_open").isNull(), "a stable shape: " + nobody.body());

            // beside the deliverability rates, per provider × tenant × campaign: people's and machines' apart
            JsonNode rates = daemon.admin().get("/admin/rates?by=sender&tenant=default");
            long[] counted = new long[5];
            for (JsonNode row : rates.path("rows")) {
                if ("spring".equals(row.path("campaign").asText())) {
                    JsonNode w = row.path("windows").path("24h");
                    counted[0] += w.path("delivered").asLong();
                    counted[1] += w.path("opens").asLong();
                    counted[2] += w.path("clicks").asLong();
                    counted[3] += w.path("machine_opens").asLong();
                    counted[4] += w.path("machine_clicks").asLong();
                }
            }
            assertEquals("[1, 1, 1, 1, 1]", java.util.Arrays.toString(counted),
                    "delivered, opens, clicks, machine opens, machine clicks: " + rates);

            String prometheus = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.httpPort() + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(prometheus.contains("sluice_engagement_recipients 1.0"), prometheus);
            assertTrue(Pattern.compile("sluice_rates_signals_total\\{[^}]*signal=\"machine-click\"[^}]*} 1\\.0")
                    .matcher(prometheus).find(), prometheus);

            for (JsonNode e : daemon.events().all()) {
                assertFalse(e.toString().contains("127.0.0.1") && (e.path("type").asText().equals("Open")
                        || e.path("type").asText().equals("Click")), "no IP address stored: " + e);
            }
            daemon.stop();
            daemon.startAgain();
            assertEngaged(daemon, lastOpen, lastClick); // kept under the spool directory across a restart
            String shown = sluicectl(daemon, dir, "engagement", "reader@dest.test");
            assertTrue(shown.contains("reader@dest.test (default): last open "), shown);
            String stale = sluicectl(daemon, dir, "engagement", "--before", "2100-01-01T00:00:00Z");
            assertTrue(stale.lines().anyMatch(l -> l.startsWith("reader@dest.test")), stale);
        }
    }
}
